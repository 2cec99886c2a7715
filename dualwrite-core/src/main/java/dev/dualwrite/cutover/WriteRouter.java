package dev.dualwrite.cutover;

import dev.dualwrite.DualWrite;
import java.util.function.Supplier;

/**
 * Routes the writes of code that moves to the new service's own API, in the style of
 * {@link dev.dualwrite.read.ReadRouter}: given the legacy write and the new service's write of the same change, it
 * runs the one the entity's phase says. Up to {@code NEW_READS} that is the legacy write (mirrored as every Hibernate
 * write is); in {@code NEW_WRITES} and {@code NEW_ONLY} the new service's. A caller that reads the change back through
 * legacy right away (a legacy join, a report) waits for the reverse sync with {@link #awaitInLegacy}.
 *
 * <pre>{@code
 * WriteRouter users = WriteRouter.builder(dualWrite, "users").build();
 * UserView saved = users.write(() -> legacyUsers.rename(id, name), () -> userService.rename(id, name));
 * users.awaitInLegacy(String.valueOf(id), saved.version());
 * }</pre>
 *
 * <p>Thread-safe. Whatever the write that runs throws reaches the caller; the other write never runs.
 */
public interface WriteRouter {

  /** Starts the router of {@code entity}, one of {@code dualWrite}'s entities. */
  static WriteRouterBuilder builder(DualWrite dualWrite, String entity) {
    return new WriteRouterBuilder(dualWrite, entity);
  }

  /** The entity's name. */
  String entity();

  /** Whether {@link #write} runs the new service's write in the entity's phase now. */
  boolean writesToNewService();

  /**
   * Runs {@code legacyWrite} or {@code newServiceWrite}, as the entity's phase says (read once, from the node's
   * cache), and returns what it returns.
   */
  <T> T write(Supplier<? extends T> legacyWrite, Supplier<? extends T> newServiceWrite);

  /**
   * When the new service is authoritative ({@code NEW_WRITES}), waits until legacy holds {@code version} of
   * {@code id}, or a newer one: the reverse sync has applied it. Returns at once in every other phase (the write went
   * to legacy). For a caller that reads the change back through legacy joins right after writing it through the new
   * service's API, which answered that version.
   *
   * @throws dev.dualwrite.DualWriteException when legacy does not have it within the router's wait, naming the entity,
   *     the id, the version and where the reverse sync stands
   */
  void awaitInLegacy(String id, long version);
}

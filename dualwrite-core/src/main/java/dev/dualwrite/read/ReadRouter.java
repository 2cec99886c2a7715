package dev.dualwrite.read;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.Store;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Serves the reads of one entity from the legacy database or the new service, according to the entity's current
 * phase:
 *
 * <table>
 *   <caption>Who serves, who is compared</caption>
 *   <tr><th>phase</th><th>served by</th><th>compared in the background (sampled)</th></tr>
 *   <tr><td>{@code LEGACY_ONLY}, {@code DUAL_WRITE}</td><td>legacy</td><td>no</td></tr>
 *   <tr><td>{@code SHADOW_READS}</td><td>legacy</td><td>with the new service</td></tr>
 *   <tr><td>{@code NEW_READS}</td><td>the new service for canary keys, legacy for the others, for keys with
 *     undelivered writes and when the new service fails</td><td>with the other store (not for keys with undelivered
 *     writes, nor after a fallback)</td></tr>
 *   <tr><td>{@code NEW_WRITES}, {@code NEW_ONLY}</td><td>the new service</td><td>no</td></tr>
 * </table>
 *
 * <p>The comparison's read of the other store runs on a bounded shadow executor with a timeout; the caller never waits
 * for it. Build one router per entity with {@link #builder} and keep it; {@link #close()} it on shutdown.
 *
 * <p>Thread-safe. Keys are compared and hashed in their string form ({@link String#valueOf}), the form ids travel in
 * to the new service. A null key or supplier throws {@link NullPointerException}. Whatever the served store throws
 * reaches the caller (except a new-service failure in {@code NEW_READS}, which falls back to legacy unless disabled);
 * nothing the comparison does ever does.
 */
public interface ReadRouter extends AutoCloseable {

  /**
   * Starts the configuration of the router for {@code entity}, one of {@code dualWrite}'s entities. The entity's
   * {@link dev.dualwrite.EntityMigration} gives the canary percentage, the shadow sample rate and the sensitive fields.
   */
  static ReadRouterBuilder builder(DualWrite dualWrite, String entity) {
    return new ReadRouterBuilder(dualWrite, entity);
  }

  /** The entity's name. */
  String entity();

  /**
   * Reads by id: from legacy with {@code legacyById}, from the new service through the target client's {@code get}
   * and {@code getMany} of the entity's resource, the service's JSON mapped to {@code newType} with the router's
   * object mapper (a detached instance of the entity class, or a DTO). Both answers are compared as snapshots.
   *
   * @param newType the class the new service's JSON is mapped to; what the legacy read returns must fit it too
   * @param legacyById reads one entity from legacy, null when there is none; may run on a shadow executor thread in
   *     {@code NEW_READS}, so it must not depend on the caller's session or transaction
   * @throws IllegalStateException when neither the router nor the {@code DualWrite} has a target client
   */
  <K, V> ByIdReader<K, V> byId(Class<V> newType, Function<? super K, ? extends V> legacyById);

  /**
   * As {@link #byId(Class, Function)}, with a legacy read of many ids in one go for {@link ByIdReader#getAll}.
   *
   * @param legacyByIds reads the entities with the given ids from legacy, by id; ids it does not hold are left out
   */
  <K, V> ByIdReader<K, V> byId(
      Class<V> newType,
      Function<? super K, ? extends V> legacyById,
      Function<? super List<K>, ? extends Map<K, ? extends V>> legacyByIds);

  /**
   * Runs any read, a query given as two functions, in the store the phase says, and compares the answers' snapshots
   * when the phase compares.
   *
   * @param key what routes the read: in {@code NEW_READS} it picks canary or not by its hash, and when it is an id of
   *     this entity, read-your-writes keeps it on legacy while its writes are undelivered
   * @param legacy the read against legacy; may run on a shadow executor thread in {@code NEW_READS}
   * @param newService the read against the new service; may run on a shadow executor thread in {@code SHADOW_READS} and
   *     {@code NEW_READS}
   * @return the served store's answer
   */
  <R> R read(Object key, Supplier<? extends R> legacy, Supplier<? extends R> newService);

  /**
   * As {@link #read(Object, Supplier, Supplier)}, for answers of different types, compared with {@code comparator}
   * instead of by snapshots.
   */
  <R, L extends R, N extends R> R read(
      Object key, Supplier<L> legacy, Supplier<N> newService, ResultComparator<? super L, ? super N> comparator);

  /**
   * The store that would serve {@code key} now, phase, canary and read-your-writes considered (not failures). Counts
   * nothing; in {@link ReadYourWrites#ALL_NODES} it may query the outbox.
   */
  Store storeFor(Object key);

  /** The counters so far. */
  ReadStats stats();

  /**
   * Stops the router's own shadow executor (not one given with {@link ReadRouterBuilder#withShadowExecutor}) and its
   * timeout thread. Comparisons still queued are dropped. Reads after closing are served but never compared.
   */
  @Override
  void close();
}

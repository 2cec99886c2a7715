package dev.dualwrite.cutover;

import dev.dualwrite.DualWrite;
import dev.dualwrite.cutover.internal.DefaultWriteRouter;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.internal.Settings;
import java.time.Duration;
import java.util.Objects;

/** Configures a {@link WriteRouter}; settings are checked in {@link #build()}. Not thread-safe. */
public final class WriteRouterBuilder {
  /** Default longest wait of {@link WriteRouter#awaitInLegacy}. */
  public static final Duration DEFAULT_LEGACY_WAIT = Duration.ofSeconds(5);

  private final DualWrite dualWrite;
  private final String entity;
  private Duration legacyWait = DEFAULT_LEGACY_WAIT;

  WriteRouterBuilder(DualWrite dualWrite, String entity) {
    this.dualWrite = Objects.requireNonNull(dualWrite, "dualWrite");
    this.entity = entity;
  }

  /** The longest {@link WriteRouter#awaitInLegacy} waits. Default 5 s; from 1 ms to 10 minutes. */
  public WriteRouterBuilder withLegacyWait(Duration wait) {
    this.legacyWait = wait;
    return this;
  }

  /**
   * Builds the router.
   *
   * @throws IllegalArgumentException when the entity is not configured, or a setting is out of range
   * @throws IllegalStateException when the node has no data source (the reverse sync's tables live there)
   */
  public WriteRouter build() {
    dualWrite.entity(entity);
    if (legacyWait == null || legacyWait.compareTo(Duration.ofMillis(1)) < 0
        || legacyWait.compareTo(Duration.ofMinutes(10)) > 0) {
      throw Settings.invalid("legacyWait of the write router of '" + entity + "'", legacyWait, "from 1 ms (PT0.001S) to 10 minutes (PT10M)");
    }
    return new DefaultWriteRouter(entity, dualWrite.phases(), NodeServices.of(dualWrite).reverseSyncNode()
        .orElseThrow(() -> new IllegalStateException("a write router needs the node's data source (the reverse"
            + " sync's tables): configure withDataSource(...)")), NodeServices.of(dualWrite).clock(), legacyWait);
  }
}

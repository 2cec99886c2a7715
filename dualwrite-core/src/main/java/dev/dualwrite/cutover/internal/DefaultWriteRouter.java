package dev.dualwrite.cutover.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.cutover.WriteRouter;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.Store;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** The {@link WriteRouter} of one entity on a node. Thread-safe. */
public final class DefaultWriteRouter implements WriteRouter {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(5);
  private static final Duration LONGEST_PAUSE = Duration.ofMillis(100);

  private final String entity;
  private final Phases phases;
  private final NodeReverseSync reverseSync;
  private final Clock clock;
  private final Duration legacyWait;

  public DefaultWriteRouter(String entity, Phases phases, NodeReverseSync reverseSync, Clock clock,
      Duration legacyWait) {
    this.entity = entity;
    this.phases = phases;
    this.reverseSync = reverseSync;
    this.clock = clock;
    this.legacyWait = legacyWait;
  }

  @Override
  public String entity() {
    return entity;
  }

  @Override
  public boolean writesToNewService() {
    return phases.current(entity).writeAuthority() == Store.NEW;
  }

  @Override
  public <T> T write(Supplier<? extends T> legacyWrite, Supplier<? extends T> newServiceWrite) {
    return writesToNewService() ? newServiceWrite.get() : legacyWrite.get();
  }

  @Override
  public void awaitInLegacy(String id, long version) {
    if (phases.current(entity) != MigrationPhase.NEW_WRITES) {
      return;
    }
    // measured on the monotonic clock: the node's clock may be a test's, or jump
    long deadline = System.nanoTime() + legacyWait.toNanos();
    Duration pause = FIRST_PAUSE;
    while (true) {
      Optional<Long> held;
      try {
        held = reverseSync.legacyVersion(entity, id);
      } catch (SQLException e) {
        throw new DualWriteException("cannot tell whether legacy holds " + entity + " " + id + " v" + version
            + ": dualwrite_legacy_versions cannot be read: " + e.getMessage(), e);
      }
      if (held.isPresent() && held.get() >= version) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        ReverseSyncStatus status = reverseSync.status(entity);
        throw new DualWriteException(entity + " " + id + " v" + version + " did not reach legacy within " + legacyWait
            + " (legacy holds " + held.map(v -> "v" + v).orElse("no version of it since NEW_WRITES began")
            + "; the reverse sync " + (status.consumer() == null ? "has no consuming node" : "is consumed by "
            + status.consumer()) + ", applied " + status.applied() + ", lag " + status.lag().withNanos(0) + ", "
            + status.deadLetters() + " dead letter(s), at " + clock.instant() + "). Read it from the new service,"
            + " or wait longer (withLegacyWait).");
      }
      LockSupport.parkNanos(pause.toNanos());
      pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }
  }
}

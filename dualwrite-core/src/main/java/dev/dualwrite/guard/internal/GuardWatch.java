package dev.dualwrite.guard.internal;

import dev.dualwrite.EntityMigration;
import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.gate.internal.JdbcShadowComparisons;
import dev.dualwrite.guard.RollbackGuard;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseConflictException;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.storage.internal.ShadowStatsTable;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's rollback guards ({@link RollbackGuard}), checked by {@link #check()} every second. Each guarded entity in a
 * guarded phase has a window: the shadow comparisons counted when the rate was last judged (none at the start of the
 * phase revision), and since when each measure has been over its bound. A phase revision of its own starts a new window. Every node runs
 * the check; of two nodes moving at once the phase store's compare-and-set lets one win. Thread-safe.
 */
public final class GuardWatch {
  private static final Logger log = LoggerFactory.getLogger(GuardWatch.class);
  private static final List<MigrationPhase> GUARDED =
      List.of(MigrationPhase.SHADOW_READS, MigrationPhase.NEW_READS, MigrationPhase.NEW_WRITES);

  /** Where one entity's measures stand in the current phase revision. */
  private static final class Window {
    final long revision;
    long compared;
    long mismatched;
    Instant rateOverSince;
    String rateMeasured;
    Instant lagOverSince;

    /** A window from the start of phase revision {@code revision}: its comparisons are judged from the first. */
    Window(long revision) {
      this.revision = revision;
    }
  }

  private final List<EntityMigration> guarded;
  private final Phases phases;
  private final JdbcShadowComparisons shadow;
  private final Outbox outbox;
  private final NodeReverseSync reverseSync;
  private final Clock clock;
  private final Map<String, Window> windows = new HashMap<>();

  public GuardWatch(List<EntityMigration> entities, Phases phases, JdbcShadowComparisons shadow, Outbox outbox,
      NodeReverseSync reverseSync, Clock clock) {
    this.guarded = entities.stream().filter(e -> e.rollbackGuard().isPresent()).toList();
    this.phases = phases;
    this.shadow = shadow;
    this.outbox = outbox;
    this.reverseSync = reverseSync;
    this.clock = clock;
  }

  /** Whether any entity has a guard. */
  public boolean any() {
    return !guarded.isEmpty();
  }

  /** Measures every guarded entity once and moves back those whose measures stayed over their bounds. */
  public synchronized void check() {
    if (guarded.isEmpty()) {
      return;
    }
    shadow.flush();
    Map<String, Backlog> backlog = outbox.backlog();
    for (EntityMigration entity : guarded) {
      try {
        check(entity, backlog.getOrDefault(entity.name(), Backlog.empty(entity.name())));
      } catch (SQLException | RuntimeException e) {
        log.warn("dualwrite: rollback guard of {} could not measure: {}", entity.name(), e.toString());
      }
    }
  }

  private void check(EntityMigration entity, Backlog backlog) throws SQLException {
    String name = entity.name();
    RollbackGuard guard = entity.rollbackGuard().orElseThrow();
    PhaseState state = phases.state(name);
    MigrationPhase phase = state.phase();
    if (!GUARDED.contains(phase)) {
      windows.remove(name);
      return;
    }
    ShadowStatsTable.Total total = shadow.total(name, state.revision());
    Window window = windows.get(name);
    if (window == null || window.revision != state.revision()) {
      window = new Window(state.revision());
      windows.put(name, window);
    }
    Instant now = clock.instant();

    long compared = total.compared() - window.compared;
    long mismatched = total.mismatched() - window.mismatched;
    if (compared >= guard.minComparisons()) {
      double rate = (double) mismatched / compared;
      window.compared = total.compared();
      window.mismatched = total.mismatched();
      if (rate > guard.maxShadowMismatchRate()) {
        window.rateOverSince = window.rateOverSince == null ? now : window.rateOverSince;
        window.rateMeasured = String.format(Locale.ROOT, "%.2f %% (%d of %d comparisons)", rate * 100, mismatched,
            compared);
        if (sustained(window.rateOverSince, now, guard)) {
          moveBack(name, phase, "shadow mismatch rate " + window.rateMeasured + " over "
              + String.format(Locale.ROOT, "%.2f %%", guard.maxShadowMismatchRate() * 100) + " since "
              + window.rateOverSince);
          return;
        }
      } else {
        window.rateOverSince = null;
      }
    }

    Duration lag = phase == MigrationPhase.NEW_WRITES
        ? (reverseSync == null ? Duration.ZERO : reverseSync.status(name).lag())
        : backlog.oldestPendingCreatedAt() == null ? Duration.ZERO
            : Duration.between(backlog.oldestPendingCreatedAt(), now);
    if (lag.compareTo(guard.maxLag()) > 0) {
      window.lagOverSince = window.lagOverSince == null ? now : window.lagOverSince;
      if (sustained(window.lagOverSince, now, guard)) {
        moveBack(name, phase, (phase == MigrationPhase.NEW_WRITES ? "reverse sync" : "mirror") + " lag "
            + lag.withNanos(0) + " over " + guard.maxLag() + " since " + window.lagOverSince);
      }
    } else {
      window.lagOverSince = null;
    }
  }

  private static boolean sustained(Instant since, Instant now, RollbackGuard guard) {
    return Duration.between(since, now).compareTo(guard.sustainedFor()) >= 0;
  }

  private void moveBack(String entity, MigrationPhase from, String measured) {
    MigrationPhase to = from.previous();
    try {
      phases.move(entity, to, RollbackGuard.ACTOR, "rollback guard: " + measured);
      log.warn("dualwrite: rollback guard moved {} back from {} to {}: {}", entity, from, to, measured);
      windows.remove(entity);
    } catch (PhaseConflictException e) {
      windows.remove(entity); // another node moved it meanwhile
    } catch (PhaseMoveException e) {
      log.warn("dualwrite: rollback guard would move {} back from {} to {} ({}), but the move is refused: {}",
          entity, from, to, measured, e.getMessage());
    }
  }
}

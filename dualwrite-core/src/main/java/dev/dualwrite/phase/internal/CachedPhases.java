package dev.dualwrite.phase.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.spi.PhaseStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Phases} over a {@link PhaseStore}, with a snapshot of every phase refreshed in the background every half
 * {@code maxStaleness}. A reader that finds the snapshot older than {@code maxStaleness} (the refresh fell behind)
 * reloads it itself, so no read ever returns a phase older than the bound. Thread-safe.
 */
public final class CachedPhases implements Phases {
  private static final Logger log = LoggerFactory.getLogger(CachedPhases.class);

  private record Snapshot(Map<String, PhaseState> states, long loadedAtNanos) {}

  private final PhaseStore store;
  private final Set<String> entities;
  private final Duration maxStaleness;
  private final Clock clock;
  private final MoveCheck gates;
  private final Consumer<PhaseMove> afterMove;
  private final Map<String, PhaseState> initialStates;
  private final ScheduledFuture<?> refresher;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

  /**
   * @param gates the gates of every move (forward moves, and the step back out of NEW_WRITES)
   * @param afterMove told of every recorded move, after it is recorded
   * @param scheduler where the background refresh runs; the node's
   */
  public CachedPhases(PhaseStore store, Set<String> entities, Duration maxStaleness, Clock clock, MoveCheck gates,
      Consumer<PhaseMove> afterMove, ScheduledExecutorService scheduler) {
    this.store = Objects.requireNonNull(store, "store");
    this.entities = Set.copyOf(entities);
    this.initialStates = this.entities.stream()
        .collect(java.util.stream.Collectors.toUnmodifiableMap(e -> e, PhaseState::initial));
    this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.afterMove = Objects.requireNonNull(afterMove, "afterMove");
    this.snapshot.set(load());
    long periodMillis = Math.max(5, maxStaleness.toMillis() / 2);
    this.refresher = scheduler.scheduleWithFixedDelay(this::refreshInBackground, periodMillis, periodMillis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public Set<String> entities() {
    return entities;
  }

  @Override
  public MigrationPhase current(String entity) {
    return state(entity).phase();
  }

  @Override
  public PhaseState state(String entity) {
    checkKnown(entity);
    Snapshot s = snapshot.get();
    if (System.nanoTime() - s.loadedAtNanos() > maxStaleness.toNanos()) {
      s = reloadIfStale();
    }
    PhaseState state = s.states().get(entity);
    return state != null ? state : initialStates.get(entity);
  }

  @Override
  public PhaseMove move(String entity, MigrationPhase target, String actor, String reason) {
    return change(entity, target, null, false, actor, reason);
  }

  @Override
  public PhaseMove forceMove(String entity, MigrationPhase target, String actor, String reason) {
    return change(entity, target, null, true, actor, reason);
  }

  @Override
  public PhaseMove setCanaryPercent(String entity, double percent, String actor, String reason) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "canary percent for entity '" + entity + "' is " + percent + "; it must be from 0 to 100");
    }
    return change(entity, null, percent, false, actor, reason);
  }

  /** Moves the phase ({@code target} not null) or sets the canary percentage ({@code canary} not null). */
  private PhaseMove change(
      String entity, MigrationPhase target, Double canary, boolean force, String actor, String reason) {
    checkKnown(entity);
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("actor is blank for a phase change of entity '" + entity
          + "'; say who makes the change, it is recorded in the history");
    }
    PhaseState current = store.loadAll().getOrDefault(entity, PhaseState.initial(entity));
    MigrationPhase to = target != null ? target : current.phase();
    if (target != null) {
      current.phase().checkMove(entity, target, force, reason);
    }
    // a phase move starts the canary again from the configured share: re-entering NEW_READS after a rollback must
    // not send every key to the new service at once because the share had reached 100 % before
    Double canaryAfter = canary != null ? canary : target != null && to != current.phase() ? null
        : current.canaryPercent();
    boolean forced = force && !current.phase().allowedMoves().contains(to);
    if (target != null && target != current.phase()) {
      List<GateResult> failed = gates.check(entity, current.phase(), target).stream()
          .filter(g -> !g.passed()).toList();
      if (!failed.isEmpty()) {
        String failures = failed.stream().map(GateResult::describe).collect(Collectors.joining("; "));
        if (!force) {
          throw new PhaseMoveException(entity, current.phase(), target, "cannot move entity '" + entity + "' from "
              + current.phase() + " to " + target + ": gate " + failures
              + ". Meet the gate, or force the move with a reason.");
        }
        forced = true;
        reason = reason + " [overrode gate " + failures + "]";
      }
    }
    PhaseMove move =
        new PhaseMove(entity, current.phase(), to, canaryAfter, actor, reason, forced, clock.instant());
    PhaseState next = new PhaseState(entity, to, canaryAfter, current.revision() + 1, move.at());
    store.compareAndSet(current.revision(), next, move);
    log.info(
        "dualwrite: entity '{}' moved {} -> {}{} by {}{}{}",
        entity,
        current.phase(),
        to,
        to.canaryRouted() ? " (canary " + (canaryAfter != null ? canaryAfter + " %)" : "at the configured share)")
            : "",
        actor,
        forced ? " (forced)" : "",
        reason == null ? "" : ": " + reason);
    refresh();
    afterMove.accept(move);
    return move;
  }

  @Override
  public List<GateResult> checkGates(String entity, MigrationPhase target) {
    checkKnown(entity);
    MigrationPhase from = state(entity).phase();
    return target == from ? List.of() : gates.check(entity, from, target);
  }

  @Override
  public List<PhaseMove> history(String entity) {
    checkKnown(entity);
    return store.history(entity);
  }

  @Override
  public Duration maxStaleness() {
    return maxStaleness;
  }

  @Override
  public void refresh() {
    keepNewer(load());
  }

  @Override
  public void close() {
    refresher.cancel(false);
  }

  private synchronized Snapshot reloadIfStale() {
    Snapshot s = snapshot.get();
    if (System.nanoTime() - s.loadedAtNanos() <= maxStaleness.toNanos()) {
      return s;
    }
    try {
      return keepNewer(load());
    } catch (RuntimeException e) {
      throw new DualWriteException(
          "phases are unknown: the phase store could not be read for longer than the staleness bound of "
              + maxStaleness + " (" + e.getMessage() + "); dualwrite will not guess a phase. Check the database.",
          e);
    }
  }

  private void refreshInBackground() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("dualwrite: background phase refresh failed, will retry: {}", e.getMessage());
    }
  }

  /**
   * Installs {@code loaded} unless a snapshot whose load started later is installed already: a background refresh that
   * read the store before a move must not overwrite what the move's own refresh read after it.
   */
  private Snapshot keepNewer(Snapshot loaded) {
    return snapshot.accumulateAndGet(loaded,
        (current, fresh) -> fresh.loadedAtNanos() - current.loadedAtNanos() >= 0 ? fresh : current);
  }

  private Snapshot load() {
    long before = System.nanoTime();
    Map<String, PhaseState> states = store.loadAll();
    return new Snapshot(states, before);
  }

  private void checkKnown(String entity) {
    if (!entities.contains(entity)) {
      throw new IllegalArgumentException(
          "unknown entity '" + entity + "'; configured entities are " + entities.stream().sorted().toList()
              + ". Configure it with DualWrite.builder().withEntity(EntityMigration.builder(\"" + entity
              + "\")...)");
    }
  }
}

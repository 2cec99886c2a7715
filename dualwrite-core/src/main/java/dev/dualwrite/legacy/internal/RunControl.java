package dev.dualwrite.legacy.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Phases;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the backfill and the verifier share about running an entity's walk of legacy: one run at a time per instance,
 * a stop request the run polls, and the check that the entity is in a phase that mirrors legacy to the new service.
 * Thread-safe.
 */
public final class RunControl {
  private final String kind;
  private final String entity;
  private final Phases phases;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopRequested;

  /**
   * @param kind what runs, for the messages: {@code "backfill"} or {@code "verifier"}
   * @param entity the entity it runs for
   * @param phases where the entity's phase is read
   */
  public RunControl(String kind, String entity, Phases phases) {
    this.kind = kind;
    this.entity = entity;
    this.phases = phases;
  }

  /**
   * Marks a run started and clears any earlier stop request; pair it with {@link #finish} in a {@code finally}.
   *
   * @throws IllegalStateException when a run of this instance is already under way
   */
  public void start() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("the " + kind + " of '" + entity + "' is already running in this instance");
    }
    stopRequested = false;
  }

  /** Marks the run finished. */
  public void finish() {
    running.set(false);
  }

  /** Whether a run of this instance is under way. */
  public boolean running() {
    return running.get();
  }

  /** Asks the run under way to stop after its current step. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Whether the run was asked to stop since it started. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /**
   * Refuses {@code action} unless the entity is in a phase that mirrors legacy to the new service, with the message
   * {@code "<action> of <entity> refused: the entity is in <phase>, where <why>"}.
   *
   * @param why what goes wrong in such a phase and what to do next, ending the sentence
   * @throws DualWriteException when the entity's phase does not mirror legacy writes
   */
  public void requireMirroringPhase(String action, String why) {
    MigrationPhase phase = phases.current(entity);
    if (!phase.mirrorsLegacyToNew()) {
      throw new DualWriteException(action + " of " + entity + " refused: the entity is in " + phase + ", where " + why);
    }
  }
}

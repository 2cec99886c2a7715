package dev.dualwrite.samples.demo;

import dev.dualwrite.gate.GateResult;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.phase.Phases;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Moves one entity through the phases as a tech lead would: forward one step when the phase gates pass (waiting while
 * they measure), back one step without gates, and the canary share of keys. Prints every move with its gate results.
 */
final class TechLead {
  private static final String ACTOR = "demo tech lead";
  private static final Duration RECHECK = Duration.ofMillis(250);

  private final Phases phases;
  private final String entity;
  private final Console console;
  private final Pace pace;

  TechLead(Phases phases, String entity, Console console, Pace pace) {
    this.phases = phases;
    this.entity = entity;
    this.console = console;
    this.pace = pace;
  }

  MigrationPhase phase() {
    return phases.current(entity);
  }

  /**
   * Moves one step forward once every gate passes, printing what the gates measure while they hold the move.
   *
   * @throws DemoFailure when the gates still refuse after the pace's patience
   */
  void forward(String reason) {
    step(phase().next(), reason);
  }

  /**
   * Moves one step back once its gates pass (only the step out of NEW_WRITES has one: legacy must hold every change
   * of the new service first), printing what holds the move meanwhile.
   *
   * @throws DemoFailure when the gates still refuse after the pace's patience
   */
  void back(String reason) {
    step(phase().previous(), reason);
  }

  private void step(MigrationPhase to, String reason) {
    MigrationPhase from = phase();
    long deadline = System.nanoTime() + pace.patience().toNanos();
    long nextReport = System.nanoTime();
    while (true) {
      List<GateResult> gates = phases.checkGates(entity, to);
      List<GateResult> holding = gates.stream().filter(gate -> !gate.passed()).toList();
      if (holding.isEmpty()) {
        try {
          report(phases.move(entity, to, ACTOR, reason), gates);
          return;
        } catch (PhaseMoveException refused) {
          holding = List.of(new GateResult("move", false, refused.getMessage(), "the gates to pass when moving"));
        }
      }
      if (System.nanoTime() >= nextReport) {
        console.event("%s: %s -> %s waits for its gates: %s", entity, from, to,
            holding.stream().map(GateResult::describe).collect(Collectors.joining("; ")));
        nextReport = System.nanoTime() + pace.statusEvery().toNanos();
      }
      if (System.nanoTime() >= deadline) {
        throw new DemoFailure("the gates of " + entity + " " + from + " -> " + to + " still refuse after "
            + pace.patience().toSeconds() + " s");
      }
      Pace.sleep(RECHECK);
    }
  }

  /** Sets the share of keys {@code NEW_READS} serves from the new service. */
  void canary(double percent, String reason) {
    PhaseMove move = phases.setCanaryPercent(entity, percent, ACTOR, reason);
    console.event("%s: canary %s %% of keys read from the user service (%s)", entity, formatPercent(percent),
        move.reason());
  }

  /** The canary share in force, in percent. */
  double canaryPercent() {
    Double percent = phases.state(entity).canaryPercent();
    return percent == null ? 0 : percent;
  }

  private void report(PhaseMove move, List<GateResult> gates) {
    console.event("%s: %s -> %s (%s)%s", entity, move.from(), move.to(), move.reason(),
        gates.isEmpty() ? ", no gates on this move" : "");
    for (GateResult gate : gates) {
      console.detail("gate " + gate.describe());
    }
  }

  static String formatPercent(double percent) {
    return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
  }
}

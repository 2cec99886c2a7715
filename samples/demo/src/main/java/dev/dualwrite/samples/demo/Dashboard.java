package dev.dualwrite.samples.demo;

import dev.dualwrite.DualWrite;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadStats;
import dev.dualwrite.relay.MirrorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a tech lead watches while an entity is in a phase, one status line at a time: the traffic, the outbox backlog,
 * where reads went since the phase began (from the read router's counters) and the shadow comparisons, with the
 * running totals since the demo began. Keeps one summary line per phase visited.
 */
final class Dashboard {
  private final DualWrite dualWrite;
  private final ReadRouter reads;
  private final Traffic traffic;
  private final TechLead techLead;
  private final Console console;
  private final Pace pace;
  private final List<String> readsByPhase = new ArrayList<>();
  private String phaseLabel;
  private ReadStats readsAtStart;
  private Traffic.Counts trafficAtStart;

  Dashboard(DualWrite dualWrite, ReadRouter reads, Traffic traffic, TechLead techLead, Console console, Pace pace) {
    this.dualWrite = dualWrite;
    this.reads = reads;
    this.traffic = traffic;
    this.techLead = techLead;
    this.console = console;
    this.pace = pace;
    phaseBegins();
  }

  /** Starts counting for the phase (and canary share) the entity is in now; closes the previous phase's count. */
  void phaseBegins() {
    closePhase();
    MigrationPhase phase = techLead.phase();
    phaseLabel = phase == MigrationPhase.NEW_READS
        ? phase + " " + TechLead.formatPercent(techLead.canaryPercent()) + " %" : phase.toString();
    readsAtStart = reads.stats();
    trafficAtStart = traffic.counts();
  }

  /** Prints a status line every {@link Pace#statusEvery()} for {@code duration}. */
  void watch(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      Pace.sleep(pace.statusEvery());
      status();
    }
  }

  /**
   * Prints one status line: the counts since the phase began, each with the running total since the demo began next
   * to it, so that a new phase's smaller counts do not read as lost traffic.
   */
  void status() {
    MirrorStats mirror = dualWrite.mirrorStats(reads.entity());
    Traffic.Counts now = traffic.counts();
    ReadStats readsNow = reads.stats();
    console.event("%-16s traffic %d requests (%d in all), %d failed (%d in all) | backlog %d | %s | reads in all: %d"
            + " legacy, %d user service", phaseLabel,
        now.requests() - trafficAtStart.requests(), now.requests(), now.failed() - trafficAtStart.failed(),
        now.failed(), mirror.backlog(), readsSincePhaseBegan(), readsNow.servedByLegacy(), readsNow.servedByNew());
    ReverseSyncStatus back = dualWrite.reverseSync().status(reads.entity());
    if (back.started() && dualWrite.entity(reads.entity()).reverseSyncs(techLead.phase())) {
      console.detail(String.format(Locale.ROOT, "reverse sync: %s, %d changes of the user service applied to legacy,"
          + " %d dead letters", back.caughtUp() ? "caught up" : "behind, lag " + back.lag().toMillis() + " ms",
          back.applied(), back.deadLetters()));
    }
  }

  /** The outbox backlog now. */
  long backlog() {
    return dualWrite.mirrorStats(reads.entity()).backlog();
  }

  /** Dead letters in the outbox now. */
  long deadLetters() {
    return dualWrite.mirrorStats(reads.entity()).deadLetters();
  }

  /** Ends the count of the current phase; returns one line per phase visited: where reads went, comparisons. */
  List<String> finish() {
    closePhase();
    return List.copyOf(readsByPhase);
  }

  private void closePhase() {
    if (phaseLabel != null) {
      readsByPhase.add(String.format(Locale.ROOT, "%-16s %s", phaseLabel, readsSincePhaseBegan()));
      phaseLabel = null;
    }
  }

  private String readsSincePhaseBegan() {
    ReadStats now = reads.stats();
    long compared = now.compared().count() - readsAtStart.compared().count();
    long mismatched = now.mismatched().count() - readsAtStart.mismatched().count();
    return String.format(Locale.ROOT,
        "reads: %d legacy, %d user service, %d fallbacks | shadow: %d compared, %d mismatched (%.2f %%)",
        now.servedByLegacy() - readsAtStart.servedByLegacy(), now.servedByNew() - readsAtStart.servedByNew(),
        now.fallbacks() - readsAtStart.fallbacks(), compared, mismatched,
        compared == 0 ? 0.0 : 100.0 * mismatched / compared);
  }
}

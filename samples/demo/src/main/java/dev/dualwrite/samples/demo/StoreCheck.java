package dev.dualwrite.samples.demo;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.time.Instant;

/**
 * The backfill and the verifier of one entity, as a tech lead runs them: the backfill copies the rows that existed
 * before mirroring began, with its progress printed; the verifier compares both stores and, when they differ,
 * repairs and verifies again.
 */
final class StoreCheck {
  private final DualWrite dualWrite;
  private final LegacySource rows;
  private final Console console;
  private final Pace pace;

  StoreCheck(DualWrite dualWrite, LegacySource rows, Console console, Pace pace) {
    this.dualWrite = dualWrite;
    this.rows = rows;
    this.console = console;
    this.pace = pace;
  }

  /** Copies every existing row to the new service (through the outbox), printing the progress of each chunk. */
  void backfill() {
    Backfill.builder(dualWrite, rows)
        .withChunkSize(pace.backfillChunk())
        .withRowsPerSecond(pace.backfillRowsPerSecond())
        .onProgress(progress -> console.event("%s", progress.describe()))
        .build()
        .run();
  }

  /**
   * Verifies both stores, and when they differ prints what differs, repairs it, waits for the relay and verifies
   * again once.
   *
   * @return the last report
   */
  VerificationReport verifyAndRepair() {
    Verifier verifier = Verifier.builder(dualWrite, rows).build();
    VerificationReport report = verifier.verify();
    console.event("%s", report.summary());
    if (report.isClean()) {
      return report;
    }
    report.describe().lines().skip(1).forEach(console::detail);
    console.event("repairing %s: re-sending what differs", rows.entity());
    verifier.repair();
    drain();
    report = verifier.verify();
    console.event("%s", report.summary());
    return report;
  }

  /**
   * Waits until legacy holds every change the new service made before this call (the reverse sync caught up with its
   * feed after it), when the entity is synced back; returns at once otherwise.
   *
   * @throws DemoFailure when it has not within the pace's patience
   */
  void reverseSyncCaughtUp() {
    Instant since = Instant.now();
    long deadline = System.nanoTime() + pace.patience().toNanos();
    while (dualWrite.entity(rows.entity()).reverseSyncs(dualWrite.phases().current(rows.entity()))) {
      ReverseSyncStatus status = dualWrite.reverseSync().status(rows.entity());
      if (status.caughtUpAt() != null && status.caughtUpAt().isAfter(since)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailure("the reverse sync did not catch up within " + pace.patience().toSeconds() + " s: "
            + status);
      }
      Pace.sleep(Duration.ofMillis(50));
    }
  }

  /** Verifies both stores once, without printing. */
  VerificationReport verify() {
    return Verifier.builder(dualWrite, rows).build().verify();
  }

  /**
   * Waits until the relay has delivered everything pending.
   *
   * @throws DemoFailure when it has not within the pace's patience
   */
  void drain() {
    if (!dualWrite.relay().drain(pace.patience())) {
      throw new DemoFailure("the relay did not deliver every change within " + pace.patience().toSeconds()
          + " s: " + dualWrite.mirrorStats(rows.entity()));
    }
  }
}

package dev.dualwrite.verify.internal;

import dev.dualwrite.verify.RowDifference;
import dev.dualwrite.verify.UnrepairedKey;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.VerificationSamples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One verification run as it progresses: where it stands, its counts and samples; or, as a {@linkplain #tally tally},
 * what one node found in one piece of it, added to the run when the piece is recorded. Mutable; used by one thread.
 */
final class VerificationRun {
  /** Which walk a run is in. */
  enum Stage {
    /** Walking legacy keys: missing and different. */
    LEGACY,
    /** Walking the new service's listing: extra. */
    NEW,
    /** Finished. */
    DONE
  }

  long id;
  final String entity;
  final boolean repair;
  final double sampleRate;
  Stage stage = Stage.LEGACY;
  String legacyAfter;
  String newAfter;
  long compared;
  long missing;
  long extra;
  long different;
  long inFlight;
  long repaired;
  long notRepaired;
  long retries;
  final List<String> missingSamples = new ArrayList<>();
  final List<String> extraSamples = new ArrayList<>();
  final List<RowDifference> differentSamples = new ArrayList<>();
  final List<String> inFlightSamples = new ArrayList<>();
  final List<UnrepairedKey> notRepairedSamples = new ArrayList<>();
  final Instant startedAt;
  Instant finishedAt;

  VerificationRun(String entity, boolean repair, double sampleRate, Instant startedAt) {
    this.entity = entity;
    this.repair = repair;
    this.sampleRate = sampleRate;
    this.startedAt = startedAt;
  }

  /** An empty tally of what a piece of {@code run} finds: the same entity and settings, every count 0. */
  static VerificationRun tally(VerificationRun run) {
    return new VerificationRun(run.entity, run.repair, run.sampleRate, run.startedAt);
  }

  /** Adds {@code tally}'s counts to this run's, and its samples up to {@code sampleLimit} of each kind. */
  void add(VerificationRun tally, int sampleLimit) {
    compared += tally.compared;
    missing += tally.missing;
    extra += tally.extra;
    different += tally.different;
    inFlight += tally.inFlight;
    repaired += tally.repaired;
    notRepaired += tally.notRepaired;
    retries += tally.retries;
    addUpTo(missingSamples, tally.missingSamples, sampleLimit);
    addUpTo(extraSamples, tally.extraSamples, sampleLimit);
    addUpTo(differentSamples, tally.differentSamples, sampleLimit);
    addUpTo(inFlightSamples, tally.inFlightSamples, sampleLimit);
    addUpTo(notRepairedSamples, tally.notRepairedSamples, sampleLimit);
  }

  private static <T> void addUpTo(List<T> samples, List<T> more, int limit) {
    for (T sample : more) {
      if (samples.size() >= limit) {
        return;
      }
      samples.add(sample);
    }
  }

  VerificationSamples samples() {
    return new VerificationSamples(missingSamples, extraSamples, differentSamples, inFlightSamples,
        notRepairedSamples);
  }

  void restoreSamples(VerificationSamples samples) {
    missingSamples.addAll(samples.missing());
    extraSamples.addAll(samples.extra());
    differentSamples.addAll(samples.different());
    inFlightSamples.addAll(samples.inFlight());
    notRepairedSamples.addAll(samples.notRepaired());
  }

  VerificationReport report() {
    return new VerificationReport(entity, repair, sampleRate, compared, missing, extra, different, inFlight, repaired,
        notRepaired, retries, samples(), startedAt, finishedAt);
  }
}

package dev.dualwrite.verify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one verification (or repair) run of an entity found.
 *
 * @param entity the entity's name
 * @param repair whether the run repaired what it found
 * @param sampleRate the share of keys checked, from above 0 to 1 (1: every key)
 * @param compared legacy rows compared with the new service
 * @param missing rows legacy holds and the new service lacks
 * @param extra entities the new service holds and legacy lacks
 * @param different entities both hold with different snapshots
 * @param inFlight keys that kept changing or kept undelivered changes through their re-checks (at most 8, within the
 *     settle timeout), so no verdict
 * @param repaired keys a repair run sent a fresh snapshot or tombstone for and found in legacy's state in the new
 *     service when it read both stores again after the delivery
 * @param notRepaired keys a repair run sent a change for that the new service still did not hold in legacy's state:
 *     the change was not delivered in time or was dead-lettered, or the service answered it STALE; each sample says why
 * @param retries reads of the new service that failed for a moment (no answer, 5xx, 408, 429) and were tried again
 * @param samples examples of each kind
 * @param startedAt when the run started
 * @param finishedAt when it ended, or {@code null} when it stopped before the end (resume it with another run)
 */
public record VerificationReport(
    String entity,
    boolean repair,
    double sampleRate,
    long compared,
    long missing,
    long extra,
    long different,
    long inFlight,
    long repaired,
    long notRepaired,
    long retries,
    VerificationSamples samples,
    Instant startedAt,
    Instant finishedAt) {
  public VerificationReport {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /**
   * The summary line every front end prints, exactly:
   * {@code verify <entity>: compared=<n> missing=<n> extra=<n> different=<n>}.
   */
  public String summary() {
    return "verify " + entity + ": compared=" + compared + " missing=" + missing + " extra=" + extra + " different="
        + different;
  }

  /** Whether the run went through every key (it was not stopped half-way). */
  public boolean finished() {
    return finishedAt != null;
  }

  /** Whether the run finished and found nothing missing, extra, different or still in flight. */
  public boolean isClean() {
    return finished() && missing == 0 && extra == 0 && different == 0 && inFlight == 0;
  }

  /**
   * The summary line, exactly as {@link #summary()}, followed by one line per further finding (whether the run was
   * stopped or sampled, retried reads, repairs, and the sampled keys and field-level diffs of each kind, sensitive
   * values masked, with the reason each key was not repaired): readable in a log or a test failure.
   */
  public String describe() {
    StringBuilder text = new StringBuilder(summary());
    if (!finished()) {
      text.append("\n  stopped before the end: run again to resume");
    }
    if (sampleRate < 1) {
      text.append("\n  sampled: ").append(sampleRate * 100).append(" % of the keys were checked");
    }
    if (retries > 0) {
      text.append("\n  retried: ").append(retries)
          .append(" read(s) of the new service that failed for a moment (no answer, 5xx, 408 or 429)");
    }
    if (repair) {
      text.append("\n  repaired: ").append(repaired)
          .append(" key(s) the new service holds in legacy's state, read again after delivery");
    }
    appendIds(text, "missing in the new service", missing, samples.missing());
    appendIds(text, "extra in the new service", extra, samples.extra());
    if (different > 0) {
      text.append("\n  different (").append(different).append(", first ").append(samples.different().size())
          .append("):");
      samples.different().forEach(d -> text.append("\n    ").append(d.describe()));
    }
    appendIds(text, "in flight: still changing or undelivered when the re-checks ended", inFlight, samples.inFlight());
    if (notRepaired > 0) {
      text.append("\n  not repaired (").append(notRepaired).append(", first ").append(samples.notRepaired().size())
          .append("):");
      samples.notRepaired().forEach(key -> text.append("\n    ").append(key.describe()));
    }
    return text.toString();
  }

  private static void appendIds(StringBuilder text, String what, long count, List<String> ids) {
    if (count > 0) {
      text.append("\n  ").append(what).append(" (").append(count).append(", first ").append(ids.size())
          .append("): ").append(String.join(", ", ids));
    }
  }
}

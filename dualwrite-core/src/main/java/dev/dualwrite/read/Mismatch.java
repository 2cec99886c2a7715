package dev.dualwrite.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.snapshot.Difference;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A read whose two answers disagree, as reported to SLF4J, listeners and test-mode exceptions. Everything in it is
 * cleaned: sensitive fields of the entity read {@code "***"}, and the router's report cleaners have run. Immutable.
 *
 * @param read which read, where it was served and how long each store took
 * @param legacy what legacy answered
 * @param newService what the new service answered
 * @param differences where the snapshots differ (at most {@value #MAX_DIFFERENCES}); empty when a read failed, or when
 *     a typed comparator found a difference the snapshots do not show
 */
public record Mismatch(ComparedRead read, Answer legacy, Answer newService, List<Difference> differences) {
  /** The most differences a report lists. */
  public static final int MAX_DIFFERENCES = 50;

  public Mismatch {
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(legacy, "legacy");
    Objects.requireNonNull(newService, "newService");
    differences = List.copyOf(differences);
  }

  /**
   * One store's answer, cleaned.
   *
   * @param snapshot the cleaned JSON snapshot; null when the read failed
   * @param failure the exception's class and message, with sensitive values found in either snapshot masked; null
   *     when the read answered
   */
  public record Answer(JsonNode snapshot, String failure) {
    @Override
    public String toString() {
      return failure != null ? "failed: " + failure : String.valueOf(snapshot);
    }
  }

  /**
   * One line for logs: entity, key, phase, which store served, the differences (or both answers when no field
   * differs) and both latencies.
   */
  public String describe() {
    String what = differences.isEmpty()
        ? "legacy " + legacy + "; new " + newService
        : differences.stream().map(Difference::toString).collect(Collectors.joining("; "));
    return read.entity() + " " + read.key() + " differs in " + read.phase() + " (served by " + read.servedBy()
        + "): " + what + " [legacy " + millis(read.legacyLatency().toNanos()) + " ms, new "
        + millis(read.newLatency().toNanos()) + " ms]";
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }
}

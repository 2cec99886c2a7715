package dev.dualwrite.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.phase.Store;
import java.time.Duration;

/**
 * What one store answered to one read, as an {@link IgnoreRule} sees it: a value (possibly null) or the exception it
 * threw, the normalised JSON snapshot of the value, and how long it took. It carries the raw value, sensitive fields
 * included: keep it in memory, never log it. Immutable.
 *
 * @param store the store that answered
 * @param value the result; null when the store had nothing or failed
 * @param failure what the read threw, or null; a shadow read that took longer than the shadow timeout is a
 *     {@link java.util.concurrent.TimeoutException}
 * @param snapshot the value's JSON snapshot after normalisation; null when the read failed
 * @param latency how long the read took
 */
public record Observation(Store store, Object value, Throwable failure, JsonNode snapshot, Duration latency) {

  /** Whether the read threw (or timed out) instead of answering. */
  public boolean failed() {
    return failure != null;
  }
}

package dev.dualwrite.trace;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (version {@code 00}): the trace id, the id of the span that is the parent of
 * what comes next, and whether the trace is sampled. Its text, {@code 00-<32 hex>-<16 hex>-<2 hex>}, is 55 characters:
 * what the outbox column {@code traceparent} holds and what the header of that name carries. Immutable.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId 16 lower-case hex digits, not all zero
 * @param sampled whether the trace is sampled (flag {@code 01})
 */
public record Traceparent(String traceId, String spanId, boolean sampled) {
  /** The name of the HTTP header, and of the batch item's field, that carries it. */
  public static final String HEADER = "traceparent";

  private static final Pattern TEXT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  /**
   * @throws IllegalArgumentException when an id is not of the length and digits above, or all zero (W3C's invalid
   *     ids); the message names the id
   */
  public Traceparent {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    if (!TRACE_ID.matcher(traceId).matches() || traceId.equals(ZERO_TRACE)) {
      throw new IllegalArgumentException("traceId must be 32 lower-case hex digits, not all zero; got '" + traceId
          + "'");
    }
    if (!SPAN_ID.matcher(spanId).matches() || spanId.equals(ZERO_SPAN)) {
      throw new IllegalArgumentException("spanId must be 16 lower-case hex digits, not all zero; got '" + spanId
          + "'");
    }
  }

  /**
   * A trace context from ids as tracers give them: hex digits in either case, a 64-bit trace id (16 digits, as some
   * tracers keep) padded to 128 bits with zeros in front, as W3C asks.
   *
   * @throws IllegalArgumentException as the constructor, after the padding
   */
  public static Traceparent of(String traceId, String spanId, boolean sampled) {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    String trace = traceId.toLowerCase(Locale.ROOT);
    return new Traceparent(trace.length() == 16 ? "0".repeat(16) + trace : trace, spanId.toLowerCase(Locale.ROOT),
        sampled);
  }

  /**
   * Reads a {@code traceparent} text of version {@code 00}.
   *
   * @param text the text; may be null
   * @return empty when {@code text} is null or not a valid version-00 traceparent
   */
  public static Optional<Traceparent> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    var match = TEXT.matcher(text.strip());
    if (!match.matches() || match.group(1).equals(ZERO_TRACE) || match.group(2).equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new Traceparent(match.group(1), match.group(2),
        (Integer.parseInt(match.group(3), 16) & 1) == 1));
  }

  /** The header's text: {@code 00-<traceId>-<spanId>-01} when sampled, {@code -00} otherwise. */
  @Override
  public String toString() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }
}

package dev.dualwrite.hibernate.internal;

import java.time.temporal.TemporalAccessor;
import java.util.Date;

/**
 * Puts property values in their wire form before Jackson writes them, so that a plain {@code ObjectMapper} (no
 * modules) gives stable JSON: dates and times become ISO-8601 strings.
 */
final class Snapshots {
  private Snapshots() {}

  static Object normalise(Object value) {
    if (value instanceof TemporalAccessor) {
      return value.toString();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof java.sql.Time time) {
      return time.toLocalTime().toString();
    }
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    return value;
  }
}

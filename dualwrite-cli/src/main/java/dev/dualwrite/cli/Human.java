package dev.dualwrite.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Figures as a person reads them: durations in their largest units, counts with separators, times to the second. */
final class Human {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Human() {}

  /** E.g. {@code 320 ms}, {@code 47 s}, {@code 3 min 5 s}, {@code 24 h}, {@code 2 d 3 h}; {@code -} for null. */
  static String duration(Duration duration) {
    if (duration == null) {
      return "-";
    }
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + " ms";
    }
    long seconds = millis / 1000;
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    long hours = minutes / 60;
    if (hours < 24) {
      return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
    return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
  }

  /** E.g. {@code 35,210}. */
  static String count(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** E.g. {@code 2025-03-01 14:05:09 UTC}; {@code -} for null. */
  static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  /** A percentage with at most one decimal, e.g. {@code 5 %} or {@code 12.5 %}. */
  static String percent(double percent) {
    return (percent == Math.rint(percent) ? String.valueOf((long) percent)
        : String.format(Locale.ROOT, "%.1f", percent)) + " %";
  }
}

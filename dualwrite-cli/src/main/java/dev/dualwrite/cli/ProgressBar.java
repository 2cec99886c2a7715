package dev.dualwrite.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * One live progress line on the CLI's error stream, redrawn in place:
 * {@code verify users [=========>          ] 45 % 45,000/100,000 rows  12,345 rows/s  ETA 4 s  waiting for 35,210
 * undelivered changes}. The total may be an estimate; when it is unknown the bar shows the count and rate only.
 * Not thread-safe: one thread draws.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String title;
  private final long startedNanos = System.nanoTime();
  private int drawnLength;

  ProgressBar(PrintWriter err, String title) {
    this.err = err;
    this.title = title;
  }

  /**
   * Redraws the line.
   *
   * @param done rows done by this run
   * @param total the rows this run has to do, or a negative number when unknown
   * @param note what the run is waiting for, or null
   */
  void draw(long done, long total, String note) {
    double seconds = Math.max((System.nanoTime() - startedNanos) / 1e9, 0.001);
    double rate = done / seconds;
    StringBuilder line = new StringBuilder(title).append(' ');
    if (total >= 0) {
      long shown = Math.min(done, total);
      double share = total == 0 ? 1 : (double) shown / total;
      int filled = (int) Math.round(share * WIDTH);
      line.append('[').append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? (filled == WIDTH ? "=" : ">")
          : "").append(" ".repeat(WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d %%", (int) Math.floor(share * 100))).append(' ')
          .append(Human.count(shown)).append('/').append(Human.count(total)).append(" rows  ")
          .append(Human.count(Math.round(rate))).append(" rows/s  ")
          .append(shown == total ? "done" : rate <= 0 ? "ETA ?"
              : "ETA " + Human.duration(Duration.ofMillis((long) ((total - shown) / rate * 1000))));
    } else {
      line.append(Human.count(done)).append(" rows  ").append(Human.count(Math.round(rate))).append(" rows/s");
    }
    if (note != null) {
      line.append("  ").append(note);
    }
    String text = line.toString();
    err.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
    err.flush();
    drawnLength = text.length();
  }

  /** Ends the line, so that what is printed next starts on a line of its own. */
  void finish() {
    if (drawnLength > 0) {
      err.println();
      err.flush();
    }
  }
}

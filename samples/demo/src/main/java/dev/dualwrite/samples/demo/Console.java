package dev.dualwrite.samples.demo;

import java.io.PrintStream;
import java.util.Locale;

/** Where the demo tells what happens: one line per event, with the seconds since the start. Thread-safe. */
final class Console {
  private static final String DETAIL_INDENT = " ".repeat(10);

  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  Console(PrintStream out) {
    this.out = out;
  }

  /** One event, e.g. {@code [  12.3s] user service stopped}. */
  synchronized void event(String format, Object... args) {
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9,
        String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** A line that belongs to the event before it, indented under it. */
  synchronized void detail(String text) {
    out.println(DETAIL_INDENT + text);
    out.flush();
  }

  /** A line as it is. */
  synchronized void line(String text) {
    out.println(text);
    out.flush();
  }
}

package dev.dualwrite.samples.demo;

import java.time.Duration;

/**
 * How long and how hard the demo runs.
 *
 * @param name shown at the start
 * @param seedUsers users the monolith holds before the migration starts (half of them with an order)
 * @param requestPause the traffic's pause between two requests
 * @param dwell how long the demo watches each phase before the next step
 * @param statusEvery how often it prints a status line while watching
 * @param outage how long the user service is down
 * @param backfillChunk rows per backfill transaction
 * @param backfillRowsPerSecond the backfill's throttle
 * @param patience how long a step may wait for gates, deliveries or the backlog before the demo gives up
 */
record Pace(
    String name,
    int seedUsers,
    Duration requestPause,
    Duration dwell,
    Duration statusEvery,
    Duration outage,
    int backfillChunk,
    long backfillRowsPerSecond,
    Duration patience) {

  /** The README's demo: about two minutes after start-up. */
  static final Pace FULL = new Pace("full", 2000, Duration.ofMillis(20), Duration.ofSeconds(6), Duration.ofSeconds(2),
      Duration.ofSeconds(5), 250, 1000, Duration.ofSeconds(90));

  /** The test suite's demo: every step, shorter. */
  static final Pace QUICK = new Pace("quick", 300, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(1),
      Duration.ofSeconds(2), 50, 300, Duration.ofSeconds(90));

  /** Waits, as the demo does between its steps and between status lines. */
  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure("interrupted");
    }
  }

  /** {@link #QUICK} when the arguments hold {@code --quick}, else {@link #FULL}. */
  static Pace fromArguments(String... args) {
    for (String arg : args) {
      if (arg.equals("--quick")) {
        return QUICK;
      }
      throw new IllegalArgumentException("unknown argument '" + arg + "'; the demo takes --quick or nothing");
    }
    return FULL;
  }
}

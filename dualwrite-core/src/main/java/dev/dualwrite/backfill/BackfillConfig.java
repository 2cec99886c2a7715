package dev.dualwrite.backfill;

import java.time.Duration;
import java.util.List;

/**
 * How a backfill runs. Immutable and thread-safe; built by {@link BackfillBuilder}.
 */
public final class BackfillConfig {
  private final int chunkSize;
  private final long rowsPerSecond;
  private final Duration progressLogInterval;
  private final List<BackfillListener> listeners;

  BackfillConfig(BackfillBuilder builder) {
    this.chunkSize = builder.chunkSize;
    this.rowsPerSecond = builder.rowsPerSecond;
    this.progressLogInterval = builder.progressLogInterval;
    this.listeners = List.copyOf(builder.listeners);
  }

  /** Rows read, appended and checkpointed per transaction. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The most rows copied per second; 0 for no limit. */
  public long rowsPerSecond() {
    return rowsPerSecond;
  }

  /** How often progress is logged at INFO. */
  public Duration progressLogInterval() {
    return progressLogInterval;
  }

  /** The progress listeners, in the order they were added. */
  public List<BackfillListener> listeners() {
    return listeners;
  }

  @Override
  public String toString() {
    return "BackfillConfig[chunks of " + chunkSize + ", "
        + (rowsPerSecond == 0 ? "unthrottled" : "at most " + rowsPerSecond + " rows/s") + "]";
  }
}

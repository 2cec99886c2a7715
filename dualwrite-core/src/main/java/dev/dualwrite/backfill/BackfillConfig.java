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
  private final int threads;
  private final Duration chunkLease;
  private final List<BackfillListener> listeners;

  BackfillConfig(BackfillBuilder builder) {
    this.chunkSize = builder.chunkSize;
    this.rowsPerSecond = builder.rowsPerSecond;
    this.progressLogInterval = builder.progressLogInterval;
    this.threads = builder.threads;
    this.chunkLease = builder.chunkLease;
    this.listeners = List.copyOf(builder.listeners);
  }

  /** Rows claimed, read and copied per chunk (one transaction each). */
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

  /** How many threads of this node copy chunks at once. */
  public int threads() {
    return threads;
  }

  /**
   * How long a claimed chunk stays this node's: a chunk not copied by then (its node died) is taken over by another
   * node.
   */
  public Duration chunkLease() {
    return chunkLease;
  }

  /** The progress listeners, in the order they were added. */
  public List<BackfillListener> listeners() {
    return listeners;
  }

  @Override
  public String toString() {
    return "BackfillConfig[chunks of " + chunkSize + ", " + threads + (threads == 1 ? " thread, " : " threads, ")
        + (rowsPerSecond == 0 ? "unthrottled" : "at most " + rowsPerSecond + " rows/s") + "]";
  }
}

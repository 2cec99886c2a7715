package dev.dualwrite.backfill;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.internal.DefaultBackfill;
import dev.dualwrite.internal.Settings;
import dev.dualwrite.legacy.LegacySource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Backfill}. Settings are checked in {@link #build()}, which names the field, the value and what is
 * allowed. Not thread-safe; what it builds is.
 */
public final class BackfillBuilder {
  /** Default rows per chunk. */
  public static final int DEFAULT_CHUNK_SIZE = 1000;
  /** The largest chunk: a chunk's rows are held in memory and its row locks kept until it commits. */
  public static final int MAX_CHUNK_SIZE = 10_000;

  /** Default threads copying chunks on one node. */
  public static final int DEFAULT_THREADS = 2;
  /** The most threads copying chunks on one node. */
  public static final int MAX_THREADS = 16;
  /** Default lease of a claimed chunk. */
  public static final Duration DEFAULT_CHUNK_LEASE = Duration.ofSeconds(30);

  private final DualWrite dualWrite;
  private final LegacySource source;
  int chunkSize = DEFAULT_CHUNK_SIZE;
  long rowsPerSecond;
  Duration progressLogInterval = Duration.ofSeconds(10);
  int threads = DEFAULT_THREADS;
  Duration chunkLease = DEFAULT_CHUNK_LEASE;
  final List<BackfillListener> listeners = new ArrayList<>();

  BackfillBuilder(DualWrite dualWrite, LegacySource source) {
    this.dualWrite = dualWrite;
    this.source = source;
  }

  /**
   * Rows per chunk (one transaction each), from 1 to {@value #MAX_CHUNK_SIZE}; default {@value #DEFAULT_CHUNK_SIZE}.
   */
  public BackfillBuilder withChunkSize(int chunkSize) {
    this.chunkSize = chunkSize;
    return this;
  }

  /** The most rows copied per second, to spare the legacy database and the new service; 0 (default) for no limit. */
  public BackfillBuilder withRowsPerSecond(long rowsPerSecond) {
    this.rowsPerSecond = rowsPerSecond;
    return this;
  }

  /** How often progress is logged at INFO, from 1 second to 1 hour; default 10 seconds. */
  public BackfillBuilder withProgressLogInterval(Duration interval) {
    this.progressLogInterval = interval;
    return this;
  }

  /**
   * How many threads of this node claim and copy chunks at once, from 1 to {@value #MAX_THREADS}; default
   * {@value #DEFAULT_THREADS}: one reads the legacy database while another waits for the new service. Each holds one
   * chunk in memory. Backfills of the same entity on other nodes claim chunks beside them.
   */
  public BackfillBuilder withThreads(int threads) {
    this.threads = threads;
    return this;
  }

  /**
   * How long a claimed chunk stays this node's, from 1 second to 1 hour; default 30 seconds. When a node dies
   * mid-chunk, another node's backfill copies the chunk once its lease has passed; a chunk must be copied well within
   * its lease (see {@link #withChunkSize}).
   */
  public BackfillBuilder withChunkLease(Duration lease) {
    this.chunkLease = lease;
    return this;
  }

  /** Adds a listener that hears the progress after every chunk; listeners are called one at a time. */
  public BackfillBuilder onProgress(BackfillListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("backfill listener is null");
    }
    listeners.add(listener);
    return this;
  }

  /**
   * Checks the settings and builds the backfill.
   *
   * @throws IllegalArgumentException naming the field, its value and what is allowed, for the first invalid setting,
   *     or when the source's entity is not configured in {@code dualWrite}
   * @throws IllegalStateException when {@code dualWrite} has no data source (no outbox)
   */
  public Backfill build() {
    if (dualWrite == null) {
      throw new IllegalArgumentException("dualWrite is null; build one with DualWrite.builder()");
    }
    if (source == null) {
      throw new IllegalArgumentException("legacy source is null; for a Hibernate entity use"
          + " DualWriteHibernate.legacySource(sessionFactory, \"<entity>\")");
    }
    String entity = source.entity();
    dualWrite.entity(entity);
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw invalid(entity, "chunkSize", String.valueOf(chunkSize), "1 to " + MAX_CHUNK_SIZE + " rows");
    }
    if (rowsPerSecond < 0) {
      throw invalid(entity, "rowsPerSecond", String.valueOf(rowsPerSecond), "0 (no limit) or more");
    }
    if (progressLogInterval == null
        || progressLogInterval.compareTo(Duration.ofSeconds(1)) < 0
        || progressLogInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw invalid(entity, "progressLogInterval", String.valueOf(progressLogInterval),
          "from 1 second (PT1S) to 1 hour (PT1H)");
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw invalid(entity, "threads", String.valueOf(threads), "1 to " + MAX_THREADS);
    }
    if (chunkLease == null
        || chunkLease.compareTo(Duration.ofSeconds(1)) < 0
        || chunkLease.compareTo(Duration.ofHours(1)) > 0) {
      throw invalid(entity, "chunkLease", String.valueOf(chunkLease), "from 1 second (PT1S) to 1 hour (PT1H)");
    }
    return new DefaultBackfill(dualWrite, source, new BackfillConfig(this));
  }

  private static IllegalArgumentException invalid(String entity, String field, String value, String allowed) {
    return Settings.invalid(field + " of the backfill of '" + entity + "'", value, allowed);
  }
}

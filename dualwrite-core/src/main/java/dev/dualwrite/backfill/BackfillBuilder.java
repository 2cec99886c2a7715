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

  private final DualWrite dualWrite;
  private final LegacySource source;
  int chunkSize = DEFAULT_CHUNK_SIZE;
  long rowsPerSecond;
  Duration progressLogInterval = Duration.ofSeconds(10);
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

  /** Adds a listener that hears the progress after every chunk. */
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
    return new DefaultBackfill(dualWrite, source, new BackfillConfig(this));
  }

  private static IllegalArgumentException invalid(String entity, String field, String value, String allowed) {
    return Settings.invalid(field + " of the backfill of '" + entity + "'", value, allowed);
  }
}

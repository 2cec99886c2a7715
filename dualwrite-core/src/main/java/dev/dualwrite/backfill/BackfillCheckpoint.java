package dev.dualwrite.backfill;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the backfill of one entity stands, as recorded in {@code dualwrite_backfill}.
 *
 * @param entity the entity's name
 * @param lastId the id of the last row copied, in key order; {@code null} before the first chunk
 * @param rowsDone rows copied so far, over every run
 * @param startedAt when the first run started
 * @param updatedAt when the last chunk was committed
 * @param finishedAt when a run found no row left to copy; {@code null} while unfinished
 */
public record BackfillCheckpoint(
    String entity, String lastId, long rowsDone, Instant startedAt, Instant updatedAt, Instant finishedAt) {
  public BackfillCheckpoint {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether every row was copied (the phase gates read this). */
  public boolean finished() {
    return finishedAt != null;
  }
}

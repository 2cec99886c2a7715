package dev.dualwrite.backfill;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the backfill of one entity stands, as recorded in {@code dualwrite_backfill}.
 *
 * @param entity the entity's name
 * @param lastId how far the key range is claimed: the last id of the last chunk claimed, in key order (every chunk up
 *     to it is copied, being copied, or left by a node that died and waiting to be taken over); {@code null} before
 *     the first chunk
 * @param rowsDone rows of the chunks copied so far, over every run and every node
 * @param startedAt when the first run started
 * @param updatedAt when a chunk was last claimed or copied
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

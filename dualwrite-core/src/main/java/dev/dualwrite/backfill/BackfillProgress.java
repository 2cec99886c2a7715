package dev.dualwrite.backfill;

import java.time.Duration;
import java.util.Objects;

/**
 * The progress of a running backfill, after a committed chunk.
 *
 * @param entity the entity's name
 * @param rowsDone rows copied so far, over every run
 * @param rowsThisRun rows copied by this run
 * @param rowsPerSecond this run's average rate
 * @param rowsLeft an estimate of the rows still to copy (counted when the run started, less what it copied since)
 * @param timeLeft an estimate of the time still needed at this run's rate; {@code null} before the rate is known
 * @param lastId the id of the last row copied
 * @param finished whether every row is copied
 */
public record BackfillProgress(
    String entity,
    long rowsDone,
    long rowsThisRun,
    double rowsPerSecond,
    long rowsLeft,
    Duration timeLeft,
    String lastId,
    boolean finished) {
  public BackfillProgress {
    Objects.requireNonNull(entity, "entity");
  }

  /** One line for logs, e.g. {@code backfill users: 50000 rows done, 21034 rows/s, about 50000 left (2 s)}. */
  public String describe() {
    String left = finished ? "finished"
        : "about " + rowsLeft + " left" + (timeLeft == null ? "" : " (" + Math.max(0, timeLeft.toSeconds()) + " s)");
    return "backfill " + entity + ": " + rowsDone + " rows done, " + Math.round(rowsPerSecond) + " rows/s, " + left;
  }
}

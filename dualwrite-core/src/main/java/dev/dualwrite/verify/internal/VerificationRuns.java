package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.storage.internal.VerificationTable;
import dev.dualwrite.verify.VerificationSamples;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Verification runs as rows of {@code dualwrite_verification} ({@link VerificationTable}): maps a
 * {@link VerificationRun} to its row and back, samples as JSON. Every method works on the caller's connection inside
 * the caller's transaction and does not commit. Thread-safe.
 */
final class VerificationRuns {
  private final ObjectMapper mapper;

  VerificationRuns(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The entity's open run: the unfinished one its nodes verify together. */
  Optional<VerificationRun> open(Connection connection, String entity) throws SQLException {
    Optional<VerificationTable.Row> row = VerificationTable.open(connection, entity);
    return row.isEmpty() ? Optional.empty() : Optional.of(run(row.get()));
  }

  /**
   * Locks run {@code id}'s row until the transaction ends and reads it, if the run is open; empty when it is
   * finished or given up.
   */
  Optional<VerificationRun> lockOpen(Connection connection, long id) throws SQLException {
    Optional<VerificationTable.Row> row = VerificationTable.lockOpen(connection, id);
    return row.isEmpty() ? Optional.empty() : Optional.of(run(row.get()));
  }

  /** Run {@code id} as recorded. */
  VerificationRun byId(Connection connection, long id) throws SQLException {
    Optional<VerificationTable.Row> row = VerificationTable.byId(connection, id);
    if (row.isEmpty()) {
      throw new SQLException("verification run " + id + " is no longer in dualwrite_verification (deleted while it"
          + " ran?); verify again to start a new run");
    }
    return run(row.get());
  }

  /** Gives run {@code id} up unfinished, for a run with other settings. */
  void close(Connection connection, long id) throws SQLException {
    VerificationTable.close(connection, id);
  }

  /** The entity's latest finished run. */
  Optional<VerificationRun> latestFinished(Connection connection, String entity) throws SQLException {
    Optional<VerificationTable.Row> row = VerificationTable.latestFinished(connection, entity);
    return row.isEmpty() ? Optional.empty() : Optional.of(run(row.get()));
  }

  /**
   * Records a new open run and sets its id.
   *
   * @throws SQLException a constraint violation when the entity has an open run already
   */
  void insert(Connection connection, VerificationRun run) throws SQLException {
    run.id = VerificationTable.insert(connection, row(run));
  }

  /** Records where the run stands; a finished run is closed. */
  void update(Connection connection, VerificationRun run, Instant now) throws SQLException {
    VerificationTable.update(connection, row(run), now);
  }

  private VerificationTable.Row row(VerificationRun run) throws SQLException {
    return new VerificationTable.Row(run.id, run.entity, run.repair, run.sampleRate, run.stage.name(),
        run.legacyAfter, run.newAfter, run.compared, run.missing, run.extra, run.different, run.inFlight,
        run.repaired, run.notRepaired, run.retries, json(run.samples()), run.startedAt, run.finishedAt);
  }

  private VerificationRun run(VerificationTable.Row row) throws SQLException {
    VerificationRun run = new VerificationRun(row.entity(), row.repair(), row.sampleRate(), row.startedAt());
    run.id = row.id();
    run.stage = VerificationRun.Stage.valueOf(row.stage());
    run.legacyAfter = row.legacyAfter();
    run.newAfter = row.newAfter();
    run.compared = row.compared();
    run.missing = row.missing();
    run.extra = row.extra();
    run.different = row.different();
    run.inFlight = row.inFlight();
    run.repaired = row.repaired();
    run.notRepaired = row.notRepaired();
    run.retries = row.retries();
    if (row.samples() != null) {
      try {
        run.restoreSamples(mapper.readValue(row.samples(), VerificationSamples.class));
      } catch (JsonProcessingException e) {
        throw new SQLException("dualwrite_verification holds samples that cannot be read: " + e.getOriginalMessage(),
            e);
      }
    }
    run.finishedAt = row.finishedAt();
    return run;
  }

  private String json(VerificationSamples samples) throws SQLException {
    try {
      return mapper.writeValueAsString(samples);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot write verification samples as JSON: " + e.getOriginalMessage(), e);
    }
  }
}

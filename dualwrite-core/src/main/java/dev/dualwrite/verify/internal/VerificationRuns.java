package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.verify.VerificationSamples;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * The table {@code dualwrite_verification}: one row per run, updated as the run progresses. Every method works on the
 * caller's connection inside the caller's transaction and does not commit. Thread-safe.
 */
final class VerificationRuns {
  private static final String COLUMNS = "id, entity, repair, sample_rate, stage, legacy_after, new_after, compared,"
      + " missing, extra, different, in_flight, repaired, not_repaired, retries, samples, started_at, finished_at";
  private static final String LATEST =
      "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE entity = ? ORDER BY id DESC LIMIT 1";
  private static final String LATEST_FINISHED = "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE entity = ?"
      + " AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1";
  private static final String INSERT = "INSERT INTO dualwrite_verification (entity, repair, sample_rate, stage,"
      + " legacy_after, new_after, compared, missing, extra, different, in_flight, repaired, not_repaired, retries,"
      + " samples, started_at, updated_at, finished_at)"
      + " VALUES (?, ?, ?, ?, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?, NULL)";
  private static final String UPDATE = "UPDATE dualwrite_verification SET stage = ?, legacy_after = ?, new_after = ?,"
      + " compared = ?, missing = ?, extra = ?, different = ?, in_flight = ?, repaired = ?, not_repaired = ?,"
      + " retries = ?, samples = ?, updated_at = ?, finished_at = ? WHERE id = ?";

  private final ObjectMapper mapper;

  VerificationRuns(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The entity's latest run, finished or not. */
  Optional<VerificationRun> latest(Connection connection, String entity) throws SQLException {
    return select(connection, LATEST, entity);
  }

  /** The entity's latest finished run. */
  Optional<VerificationRun> latestFinished(Connection connection, String entity) throws SQLException {
    return select(connection, LATEST_FINISHED, entity);
  }

  /** Records a new run and sets its id. */
  void insert(Connection connection, VerificationRun run) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
      statement.setString(1, run.entity);
      statement.setBoolean(2, run.repair);
      statement.setDouble(3, run.sampleRate);
      statement.setString(4, run.stage.name());
      statement.setString(5, json(run.samples()));
      Jdbc.setInstant(statement, 6, run.startedAt);
      Jdbc.setInstant(statement, 7, run.startedAt);
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the database returned no id for the new row of dualwrite_verification");
        }
        run.id = keys.getLong(1);
      }
    }
  }

  /** Records where the run stands. */
  void update(Connection connection, VerificationRun run, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
      statement.setString(1, run.stage.name());
      statement.setString(2, run.legacyAfter);
      statement.setString(3, run.newAfter);
      statement.setLong(4, run.compared);
      statement.setLong(5, run.missing);
      statement.setLong(6, run.extra);
      statement.setLong(7, run.different);
      statement.setLong(8, run.inFlight);
      statement.setLong(9, run.repaired);
      statement.setLong(10, run.notRepaired);
      statement.setLong(11, run.retries);
      statement.setString(12, json(run.samples()));
      Jdbc.setInstant(statement, 13, now);
      if (run.finishedAt == null) {
        statement.setNull(14, java.sql.Types.TIMESTAMP);
      } else {
        Jdbc.setInstant(statement, 14, run.finishedAt);
      }
      statement.setLong(15, run.id);
      statement.executeUpdate();
    }
  }

  private Optional<VerificationRun> select(Connection connection, String sql, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, entity);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        VerificationRun run = new VerificationRun(rs.getString("entity"), rs.getBoolean("repair"),
            rs.getDouble("sample_rate"), Jdbc.getInstant(rs, "started_at"));
        run.id = rs.getLong("id");
        run.stage = VerificationRun.Stage.valueOf(rs.getString("stage"));
        run.legacyAfter = rs.getString("legacy_after");
        run.newAfter = rs.getString("new_after");
        run.compared = rs.getLong("compared");
        run.missing = rs.getLong("missing");
        run.extra = rs.getLong("extra");
        run.different = rs.getLong("different");
        run.inFlight = rs.getLong("in_flight");
        run.repaired = rs.getLong("repaired");
        run.notRepaired = rs.getLong("not_repaired");
        run.retries = rs.getLong("retries");
        String samples = rs.getString("samples");
        if (samples != null) {
          run.restoreSamples(mapper.readValue(samples, VerificationSamples.class));
        }
        run.finishedAt = Jdbc.getInstant(rs, "finished_at");
        return Optional.of(run);
      } catch (JsonProcessingException e) {
        throw new SQLException("dualwrite_verification holds samples that cannot be read: " + e.getOriginalMessage(),
            e);
      }
    }
  }

  private String json(VerificationSamples samples) throws SQLException {
    try {
      return mapper.writeValueAsString(samples);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot write verification samples as JSON: " + e.getOriginalMessage(), e);
    }
  }
}

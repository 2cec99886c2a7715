package dev.dualwrite.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.VerificationSamples;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * The table {@code dualwrite_verification}: one row per verification run, updated as the run progresses. Samples are
 * stored as the JSON the verifier writes. An entity has at most one open run ({@code open_run} 1, unique per entity):
 * the one its nodes verify together; a finished or given-up run is closed ({@code open_run} NULL). Every method works on the caller's connection inside the caller's
 * transaction and does not commit. Stateless and thread-safe.
 */
public final class VerificationTable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String COLUMNS = "id, entity, repair, sample_rate, stage, legacy_after, new_after, compared,"
      + " missing, extra, different, in_flight, repaired, not_repaired, retries, samples, started_at, finished_at";
  private static final String LATEST =
      "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE entity = ? ORDER BY id DESC LIMIT 1";
  private static final String LATEST_FINISHED = "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE entity = ?"
      + " AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1";
  private static final String OPEN =
      "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE entity = ? AND open_run = 1";
  private static final String LOCK_OPEN =
      "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE id = ? AND open_run = 1 FOR UPDATE";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM dualwrite_verification WHERE id = ?";
  private static final String INSERT = "INSERT INTO dualwrite_verification (entity, repair, sample_rate, stage,"
      + " legacy_after, new_after, compared, missing, extra, different, in_flight, repaired, not_repaired, retries,"
      + " samples, started_at, updated_at, finished_at, open_run)"
      + " VALUES (?, ?, ?, ?, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?, NULL, 1)";
  private static final String UPDATE = "UPDATE dualwrite_verification SET stage = ?, legacy_after = ?, new_after = ?,"
      + " compared = ?, missing = ?, extra = ?, different = ?, in_flight = ?, repaired = ?, not_repaired = ?,"
      + " retries = ?, samples = ?, updated_at = ?, finished_at = ?,"
      + " open_run = CASE WHEN ? THEN NULL ELSE open_run END WHERE id = ?";
  private static final String CLOSE = "UPDATE dualwrite_verification SET open_run = NULL WHERE id = ?";

  private VerificationTable() {}

  /**
   * One row of the table.
   *
   * @param id the run's id; 0 before {@link #insert}
   * @param stage the name of the walk the run is in
   * @param samples the samples as JSON, or null
   * @param finishedAt null while the run is unfinished
   */
  public record Row(long id, String entity, boolean repair, double sampleRate, String stage, String legacyAfter,
      String newAfter, long compared, long missing, long extra, long different, long inFlight, long repaired,
      long notRepaired, long retries, String samples, Instant startedAt, Instant finishedAt) {

    /** The run as a report; without examples when the samples cannot be read (the counts are the record). */
    public VerificationReport report() {
      return new VerificationReport(entity, repair, sampleRate, compared, missing, extra, different, inFlight,
          repaired, notRepaired, retries, readSamples(), startedAt, finishedAt);
    }

    private VerificationSamples readSamples() {
      if (samples != null) {
        try {
          return MAPPER.readValue(samples, VerificationSamples.class);
        } catch (JsonProcessingException e) {
          // fall through: the counts stand without examples
        }
      }
      return VerificationSamples.none();
    }
  }

  /** The entity's latest run, finished or not. */
  public static Optional<Row> latest(Connection connection, String entity) throws SQLException {
    return select(connection, LATEST, entity);
  }

  /** The entity's latest finished run. */
  public static Optional<Row> latestFinished(Connection connection, String entity) throws SQLException {
    return select(connection, LATEST_FINISHED, entity);
  }

  /** The entity's open run: the unfinished one its nodes verify together. */
  public static Optional<Row> open(Connection connection, String entity) throws SQLException {
    return select(connection, OPEN, entity);
  }

  /**
   * Locks run {@code id}'s row until the transaction ends and reads it, if the run is open; empty when it is finished,
   * given up or gone.
   */
  public static Optional<Row> lockOpen(Connection connection, long id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOCK_OPEN)) {
      statement.setLong(1, id);
      return read(statement);
    }
  }

  /** Run {@code id}, open or not. */
  public static Optional<Row> byId(Connection connection, long id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(BY_ID)) {
      statement.setLong(1, id);
      return read(statement);
    }
  }

  /** Closes run {@code id} unfinished: it is given up for a run with other settings and no node resumes it. */
  public static void close(Connection connection, long id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(CLOSE)) {
      statement.setLong(1, id);
      statement.executeUpdate();
    }
  }

  /**
   * Records a new open run (its entity, repair, sample rate, stage, samples and start; every count 0).
   *
   * @return the new row's id
   * @throws SQLException a constraint violation when the entity has an open run already
   */
  public static long insert(Connection connection, Row run) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
      statement.setString(1, run.entity());
      statement.setBoolean(2, run.repair());
      statement.setDouble(3, run.sampleRate());
      statement.setString(4, run.stage());
      statement.setString(5, run.samples());
      Jdbc.setInstant(statement, 6, run.startedAt());
      Jdbc.setInstant(statement, 7, run.startedAt());
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the database returned no id for the new row of dualwrite_verification");
        }
        return keys.getLong(1);
      }
    }
  }

  /** Records where run {@code run.id()} stands; a finished run is closed. */
  public static void update(Connection connection, Row run, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
      statement.setString(1, run.stage());
      statement.setString(2, run.legacyAfter());
      statement.setString(3, run.newAfter());
      statement.setLong(4, run.compared());
      statement.setLong(5, run.missing());
      statement.setLong(6, run.extra());
      statement.setLong(7, run.different());
      statement.setLong(8, run.inFlight());
      statement.setLong(9, run.repaired());
      statement.setLong(10, run.notRepaired());
      statement.setLong(11, run.retries());
      statement.setString(12, run.samples());
      Jdbc.setInstant(statement, 13, now);
      if (run.finishedAt() == null) {
        statement.setNull(14, java.sql.Types.TIMESTAMP);
      } else {
        Jdbc.setInstant(statement, 14, run.finishedAt());
      }
      statement.setBoolean(15, run.finishedAt() != null);
      statement.setLong(16, run.id());
      statement.executeUpdate();
    }
  }

  private static Optional<Row> select(Connection connection, String sql, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, entity);
      return read(statement);
    }
  }

  private static Optional<Row> read(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new Row(rs.getLong("id"), rs.getString("entity"), rs.getBoolean("repair"),
          rs.getDouble("sample_rate"), rs.getString("stage"), rs.getString("legacy_after"),
          rs.getString("new_after"), rs.getLong("compared"), rs.getLong("missing"), rs.getLong("extra"),
          rs.getLong("different"), rs.getLong("in_flight"), rs.getLong("repaired"), rs.getLong("not_repaired"),
          rs.getLong("retries"), rs.getString("samples"), Jdbc.getInstant(rs, "started_at"),
          Jdbc.getInstant(rs, "finished_at")));
    }
  }
}

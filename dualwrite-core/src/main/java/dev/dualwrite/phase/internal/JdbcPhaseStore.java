package dev.dualwrite.phase.internal;

import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.spi.PhaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link PhaseStore} in {@code dualwrite_phase} and {@code dualwrite_phase_history}. The compare-and-set is one
 * transaction: a conditional update (or an insert, for an entity never moved) of the phase row plus the history row.
 * The revision check in the {@code WHERE} clause and the primary key make a concurrent second move fail instead of
 * overwriting the first. Thread-safe.
 */
public final class JdbcPhaseStore implements PhaseStore {
  private static final String SELECT_ALL =
      "SELECT entity, phase, canary_percent, revision, changed_at FROM dualwrite_phase";
  private static final String INSERT_PHASE =
      "INSERT INTO dualwrite_phase (entity, phase, canary_percent, revision, changed_at) VALUES (?, ?, ?, ?, ?)";
  private static final String UPDATE_PHASE =
      "UPDATE dualwrite_phase SET phase = ?, canary_percent = ?, revision = ?, changed_at = ?"
          + " WHERE entity = ? AND revision = ?";
  private static final String SELECT_REVISION = "SELECT revision FROM dualwrite_phase WHERE entity = ?";
  private static final String INSERT_HISTORY =
      "INSERT INTO dualwrite_phase_history"
          + " (entity, revision, from_phase, to_phase, canary_percent, actor, reason, forced, moved_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SELECT_HISTORY =
      "SELECT from_phase, to_phase, canary_percent, actor, reason, forced, moved_at"
          + " FROM dualwrite_phase_history WHERE entity = ? ORDER BY revision";

  private final DataSource dataSource;

  public JdbcPhaseStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Map<String, PhaseState> loadAll() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(SELECT_ALL);
        ResultSet rs = statement.executeQuery()) {
      Map<String, PhaseState> states = new HashMap<>();
      while (rs.next()) {
        PhaseState state =
            new PhaseState(
                rs.getString("entity"),
                MigrationPhase.parse(rs.getString("phase")),
                Jdbc.getDouble(rs, "canary_percent"),
                rs.getLong("revision"),
                Jdbc.getInstant(rs, "changed_at"));
        states.put(state.entity(), state);
      }
      return states;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read phases from dualwrite_phase: " + e.getMessage(), e);
    }
  }

  @Override
  public PhaseState compareAndSet(long expectedRevision, PhaseState next, PhaseMove move) {
    try {
      return Jdbc.inTransaction(
          dataSource,
          connection -> {
            if (expectedRevision == 0) {
              insertPhase(connection, next, expectedRevision);
            } else {
              updatePhase(connection, next, expectedRevision);
            }
            insertHistory(connection, next.revision(), move);
            return next;
          });
    } catch (SQLException e) {
      if (Jdbc.isConstraintViolation(e)) {
        throw PhaseConflicts.conflict(next.entity(), expectedRevision, null);
      }
      throw new IllegalStateException(
          "cannot store the phase of entity '" + next.entity() + "': " + e.getMessage(), e);
    }
  }

  private static void insertPhase(Connection connection, PhaseState next, long expectedRevision) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT_PHASE)) {
      statement.setString(1, next.entity());
      statement.setString(2, next.phase().name());
      Jdbc.setDouble(statement, 3, next.canaryPercent());
      statement.setLong(4, next.revision());
      Jdbc.setInstant(statement, 5, next.changedAt());
      statement.executeUpdate();
    } catch (SQLException e) {
      if (Jdbc.isConstraintViolation(e)) {
        throw PhaseConflicts.conflict(next.entity(), expectedRevision, null);
      }
      throw e;
    }
  }

  private static void updatePhase(Connection connection, PhaseState next, long expectedRevision) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(UPDATE_PHASE)) {
      statement.setString(1, next.phase().name());
      Jdbc.setDouble(statement, 2, next.canaryPercent());
      statement.setLong(3, next.revision());
      Jdbc.setInstant(statement, 4, next.changedAt());
      statement.setString(5, next.entity());
      statement.setLong(6, expectedRevision);
      if (statement.executeUpdate() != 1) {
        throw PhaseConflicts.conflict(next.entity(), expectedRevision, storedRevision(connection, next.entity()));
      }
    }
  }

  private static Long storedRevision(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_REVISION)) {
      statement.setString(1, entity);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  private static void insertHistory(Connection connection, long revision, PhaseMove move) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT_HISTORY)) {
      statement.setString(1, move.entity());
      statement.setLong(2, revision);
      statement.setString(3, move.from().name());
      statement.setString(4, move.to().name());
      Jdbc.setDouble(statement, 5, move.canaryPercent());
      statement.setString(6, move.actor());
      statement.setString(7, move.reason());
      statement.setBoolean(8, move.forced());
      Jdbc.setInstant(statement, 9, move.at());
      statement.executeUpdate();
    }
  }

  @Override
  public List<PhaseMove> history(String entity) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(SELECT_HISTORY)) {
      statement.setString(1, entity);
      try (ResultSet rs = statement.executeQuery()) {
        List<PhaseMove> moves = new ArrayList<>();
        while (rs.next()) {
          moves.add(
              new PhaseMove(
                  entity,
                  MigrationPhase.parse(rs.getString("from_phase")),
                  MigrationPhase.parse(rs.getString("to_phase")),
                  Jdbc.getDouble(rs, "canary_percent"),
                  rs.getString("actor"),
                  rs.getString("reason"),
                  rs.getBoolean("forced"),
                  Jdbc.getInstant(rs, "moved_at")));
        }
        return moves;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the phase history of entity '" + entity + "': " + e.getMessage(), e);
    }
  }
}

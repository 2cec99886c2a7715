package dev.dualwrite.storage.internal;

import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables {@code dualwrite_phase} (one row per entity: its phase, canary and revision) and
 * {@code dualwrite_phase_history} (one row per move, keyed by entity and revision). Every method works on the caller's
 * connection inside the caller's transaction and does not commit; the compare-and-set that combines them is
 * {@link dev.dualwrite.phase.internal.JdbcPhaseStore}'s. Stateless and thread-safe.
 */
public final class PhaseTable {
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

  private PhaseTable() {}

  /** Every entity's phase row, by entity. */
  public static Map<String, PhaseState> loadAll(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL);
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
    }
  }

  /** Inserts the phase row of an entity never moved; a constraint violation when another node inserted it first. */
  public static void insertPhase(Connection connection, PhaseState next) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT_PHASE)) {
      statement.setString(1, next.entity());
      statement.setString(2, next.phase().name());
      Jdbc.setDouble(statement, 3, next.canaryPercent());
      statement.setLong(4, next.revision());
      Jdbc.setInstant(statement, 5, next.changedAt());
      statement.executeUpdate();
    }
  }

  /**
   * Updates the entity's phase row to {@code next} if it is still at {@code expectedRevision}.
   *
   * @return whether it was (false: another move came first)
   */
  public static boolean updatePhase(Connection connection, PhaseState next, long expectedRevision)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(UPDATE_PHASE)) {
      statement.setString(1, next.phase().name());
      Jdbc.setDouble(statement, 2, next.canaryPercent());
      statement.setLong(3, next.revision());
      Jdbc.setInstant(statement, 4, next.changedAt());
      statement.setString(5, next.entity());
      statement.setLong(6, expectedRevision);
      return statement.executeUpdate() == 1;
    }
  }

  /** The entity's stored revision, 0 when it has no phase row. */
  public static long storedRevision(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_REVISION)) {
      statement.setString(1, entity);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  /** Records {@code move} as the entity's move to {@code revision}. */
  public static void insertHistory(Connection connection, long revision, PhaseMove move) throws SQLException {
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

  /** The entity's moves, oldest first. */
  public static List<PhaseMove> history(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_HISTORY)) {
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
    }
  }
}

package dev.dualwrite.storage.internal;

import dev.dualwrite.cutover.ReverseDeadLetter;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.outbox.ChangeOperation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The tables {@code dualwrite_reverse_sync} (per entity: the feed cursor, the lease, the counts) and
 * {@code dualwrite_reverse_dead_letters}. Methods with a connection work inside the caller's transaction; the others
 * run on a connection of their own, in auto-commit. Thread-safe.
 */
public final class ReverseSyncTable {
  private static final String COLUMNS = "entity, feed_cursor, lease_owner, lease_until, applied, skipped, failed,"
      + " head_cursor, behind, caught_up_at, last_change_at, started_at, updated_at";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM dualwrite_reverse_sync WHERE entity = ?";
  private static final String BEGIN_UPDATE = "UPDATE dualwrite_reverse_sync SET feed_cursor = ?, lease_owner = NULL,"
      + " lease_until = NULL, applied = 0, skipped = 0, failed = 0, head_cursor = ?, behind = 0, caught_up_at = NULL,"
      + " last_change_at = NULL, started_at = ?, updated_at = ? WHERE entity = ?";
  private static final String BEGIN_INSERT = "INSERT INTO dualwrite_reverse_sync (" + COLUMNS + ")"
      + " VALUES (?, ?, NULL, NULL, 0, 0, 0, ?, 0, NULL, NULL, ?, ?)";
  private static final String ACQUIRE = "UPDATE dualwrite_reverse_sync SET lease_owner = ?, lease_until = ?"
      + " WHERE entity = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)";
  private static final String RELEASE = "UPDATE dualwrite_reverse_sync SET lease_owner = NULL, lease_until = NULL"
      + " WHERE entity = ? AND lease_owner = ?";
  private static final String ADVANCE = "UPDATE dualwrite_reverse_sync SET feed_cursor = ?, applied = applied + ?,"
      + " skipped = skipped + ?, failed = failed + ?, head_cursor = ?, behind = ?,"
      + " last_change_at = COALESCE(?, last_change_at), updated_at = ? WHERE entity = ?";
  private static final String OBSERVE_HEAD = "UPDATE dualwrite_reverse_sync SET head_cursor = ?, behind = ?,"
      + " caught_up_at = ?, updated_at = ? WHERE entity = ? AND lease_owner = ?";
  private static final String DEAD_COLUMNS =
      "id, entity, entity_id, operation, version, attempts, last_error, created_at";
  private static final String ADD_DEAD = "INSERT INTO dualwrite_reverse_dead_letters (entity, entity_id, operation,"
      + " version, attempts, last_error, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)";
  private static final String LIST_DEAD = "SELECT " + DEAD_COLUMNS
      + " FROM dualwrite_reverse_dead_letters WHERE entity = ? ORDER BY id";
  private static final String LOCK_DEAD = "SELECT " + DEAD_COLUMNS
      + " FROM dualwrite_reverse_dead_letters WHERE id = ? FOR UPDATE";
  private static final String FAIL_DEAD =
      "UPDATE dualwrite_reverse_dead_letters SET attempts = attempts + 1, last_error = ? WHERE id = ?";
  private static final String END = "DELETE FROM dualwrite_reverse_sync WHERE entity = ?";
  private static final String DELETE_DEAD = "DELETE FROM dualwrite_reverse_dead_letters WHERE id = ?";
  private static final String COUNT_DEAD = "SELECT COUNT(*) FROM dualwrite_reverse_dead_letters WHERE entity = ?";
  private static final String IDS_DEAD = "SELECT id FROM dualwrite_reverse_dead_letters WHERE entity = ? ORDER BY id";
  private static final int ERROR_LIMIT = 1000;

  /**
   * Where an entity's reverse sync stands.
   *
   * @param cursor the feed cursor after which changes have not been applied yet; null: from the feed's start
   * @param leaseOwner the node consuming the feed, or null
   * @param headCursor the feed's head when last read
   * @param behind how many changes the last page read left after it (0 when the page reached the head)
   * @param caughtUpAt when the consumer last read the feed and found nothing after its cursor; null before
   */
  public record State(String entity, String cursor, String leaseOwner, Instant leaseUntil, long applied, long skipped,
      long failed, String headCursor, long behind, Instant caughtUpAt, Instant lastChangeAt, Instant startedAt,
      Instant updatedAt) {}

  private final DataSource dataSource;

  public ReverseSyncTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The entity's state, or empty when its reverse sync never began. */
  public Optional<State> read(String entity) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return select(c, SELECT, entity);
    }
  }

  /** The entity's state, locked until the caller's transaction ends. */
  public static Optional<State> lock(Connection connection, String entity) throws SQLException {
    return select(connection, SELECT + " FOR UPDATE", entity);
  }

  /** Starts the entity's reverse sync again after {@code cursor}, with zero counts and no lease. */
  public static void begin(Connection connection, String entity, String cursor, Instant now) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(BEGIN_UPDATE)) {
      update.setString(1, cursor);
      update.setString(2, cursor);
      Jdbc.setInstant(update, 3, now);
      Jdbc.setInstant(update, 4, now);
      update.setString(5, entity);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(BEGIN_INSERT)) {
      insert.setString(1, entity);
      insert.setString(2, cursor);
      insert.setString(3, cursor);
      Jdbc.setInstant(insert, 4, now);
      Jdbc.setInstant(insert, 5, now);
      insert.executeUpdate();
    }
  }

  /** Forgets the entity's reverse sync state (not its dead letters): it left NEW_WRITES for a phase before it. */
  public void end(String entity) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(END)) {
      c.setAutoCommit(true);
      s.setString(1, entity);
      s.executeUpdate();
    }
  }

  /**
   * Takes or renews the lease on the entity's feed for {@code owner} until {@code until}, when it is free, expired
   * (before {@code now}) or already {@code owner}'s.
   *
   * @return whether {@code owner} holds it now
   */
  public boolean acquire(String entity, String owner, Instant now, Instant until) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(ACQUIRE)) {
      c.setAutoCommit(true);
      s.setString(1, owner);
      Jdbc.setInstant(s, 2, until);
      s.setString(3, entity);
      s.setString(4, owner);
      Jdbc.setInstant(s, 5, now);
      return s.executeUpdate() == 1;
    }
  }

  /** Gives up {@code owner}'s lease, if it holds it. */
  public void release(String entity, String owner) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(RELEASE)) {
      c.setAutoCommit(true);
      s.setString(1, entity);
      s.setString(2, owner);
      s.executeUpdate();
    }
  }

  /**
   * Records that {@code owner} read the feed at {@code now} and found no change after its cursor: caught up with the
   * head it read.
   */
  public void observeHead(String entity, String owner, String head, Instant now) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(OBSERVE_HEAD)) {
      c.setAutoCommit(true);
      s.setString(1, head);
      s.setLong(2, 0);
      Jdbc.setInstant(s, 3, now);
      Jdbc.setInstant(s, 4, now);
      s.setString(5, entity);
      s.setString(6, owner);
      s.executeUpdate();
    }
  }

  /** Moves the cursor past the changes just applied, in the transaction that applied them, and adds their counts. */
  public static void advance(Connection connection, String entity, String cursor, long applied, long skipped,
      long failed, String head, long behind, Instant lastChangeAt, Instant now) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(ADVANCE)) {
      s.setString(1, cursor);
      s.setLong(2, applied);
      s.setLong(3, skipped);
      s.setLong(4, failed);
      s.setString(5, head);
      s.setLong(6, behind);
      if (lastChangeAt == null) {
        s.setNull(7, java.sql.Types.TIMESTAMP);
      } else {
        Jdbc.setInstant(s, 7, lastChangeAt);
      }
      Jdbc.setInstant(s, 8, now);
      s.setString(9, entity);
      s.executeUpdate();
    }
  }

  /** Records a change legacy refused, in the caller's transaction. */
  public static void addDeadLetter(Connection connection, String entity, String entityId, ChangeOperation operation,
      long version, String error, Instant now) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(ADD_DEAD)) {
      s.setString(1, entity);
      s.setString(2, entityId);
      s.setString(3, operation.name());
      s.setLong(4, version);
      s.setString(5, shorten(error));
      Jdbc.setInstant(s, 6, now);
      s.executeUpdate();
    }
  }

  /** Up to {@code limit} dead letters of {@code entity}, oldest first. */
  public List<ReverseDeadLetter> deadLetters(String entity, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(LIST_DEAD)) {
      s.setString(1, entity);
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        List<ReverseDeadLetter> letters = new ArrayList<>();
        while (rs.next() && letters.size() < limit) {
          letters.add(deadLetter(rs));
        }
        return letters;
      }
    }
  }

  /** The ids of every dead letter of {@code entity}, oldest first. */
  public List<Long> deadLetterIds(String entity) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(IDS_DEAD)) {
      s.setString(1, entity);
      try (ResultSet rs = s.executeQuery()) {
        List<Long> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
        return ids;
      }
    }
  }

  /** The dead letter {@code id}, locked until the caller's transaction ends; empty when there is none. */
  public static Optional<ReverseDeadLetter> lockDeadLetter(Connection connection, long id) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(LOCK_DEAD)) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
      }
    }
  }

  /** Counts one more refusal of dead letter {@code id}, on its own connection. */
  public void failedAgain(long id, String error) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(FAIL_DEAD)) {
      c.setAutoCommit(true);
      s.setString(1, shorten(error));
      s.setLong(2, id);
      s.executeUpdate();
    }
  }

  /** Deletes dead letter {@code id} in the caller's transaction; whether it existed. */
  public static boolean deleteDeadLetter(Connection connection, long id) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(DELETE_DEAD)) {
      s.setLong(1, id);
      return s.executeUpdate() == 1;
    }
  }

  /** Deletes dead letter {@code id} on its own connection; whether it existed. */
  public boolean discardDeadLetter(long id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return deleteDeadLetter(c, id);
    }
  }

  /** How many dead letters {@code entity} has. */
  public long countDeadLetters(String entity) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(COUNT_DEAD)) {
      s.setString(1, entity);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Optional<State> select(Connection connection, String sql, String entity) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setString(1, entity);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new State(rs.getString("entity"), rs.getString("feed_cursor"), rs.getString("lease_owner"),
            Jdbc.getInstant(rs, "lease_until"), rs.getLong("applied"), rs.getLong("skipped"), rs.getLong("failed"),
            rs.getString("head_cursor"), rs.getLong("behind"), Jdbc.getInstant(rs, "caught_up_at"),
            Jdbc.getInstant(rs, "last_change_at"),
            Jdbc.getInstant(rs, "started_at"), Jdbc.getInstant(rs, "updated_at")));
      }
    }
  }

  private static ReverseDeadLetter deadLetter(ResultSet rs) throws SQLException {
    return new ReverseDeadLetter(rs.getLong("id"), rs.getString("entity"), rs.getString("entity_id"),
        ChangeOperation.valueOf(rs.getString("operation")), rs.getLong("version"), rs.getInt("attempts"),
        rs.getString("last_error"), Jdbc.getInstant(rs, "created_at"));
  }

  private static String shorten(String error) {
    String text = error == null ? "" : error;
    return text.length() <= ERROR_LIMIT ? text : text.substring(0, ERROR_LIMIT);
  }
}

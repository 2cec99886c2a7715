package dev.dualwrite.storage.internal;

import dev.dualwrite.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code dualwrite_backfill_chunks}: the chunks of a backfill claimed by a node and not yet copied, one row
 * each, deleted by the transaction that copies the chunk. Every method works on the caller's connection inside the
 * caller's transaction and does not commit. Stateless and thread-safe.
 */
public final class BackfillChunksTable {
  /** A claimed chunk: the keys after {@code afterId} ({@code null}: from the first key) up to {@code upToId}. */
  public record Chunk(String afterId, String upToId, String owner, Instant leaseUntil) {}

  private static final String INSERT = "INSERT INTO dualwrite_backfill_chunks (entity, up_to_id, after_id, lease_owner,"
      + " lease_until, claimed_at) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String SELECT_ALL = "SELECT after_id, up_to_id, lease_owner, lease_until"
      + " FROM dualwrite_backfill_chunks WHERE entity = ? ORDER BY lease_until";
  private static final String TAKE_OVER = "UPDATE dualwrite_backfill_chunks SET lease_owner = ?, lease_until = ?,"
      + " claimed_at = ? WHERE entity = ? AND up_to_id = ? AND lease_owner = ? AND lease_until = ?";
  private static final String LOCK_OWNER = "SELECT lease_owner FROM dualwrite_backfill_chunks"
      + " WHERE entity = ? AND up_to_id = ? FOR UPDATE";
  private static final String DELETE = "DELETE FROM dualwrite_backfill_chunks WHERE entity = ? AND up_to_id = ?";
  private static final String DELETE_ALL = "DELETE FROM dualwrite_backfill_chunks WHERE entity = ?";

  private BackfillChunksTable() {}

  /** Records a chunk claimed by {@code owner} until {@code leaseUntil}. */
  public static void insert(Connection connection, String entity, String afterId, String upToId, String owner,
      Instant leaseUntil, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      statement.setString(1, entity);
      statement.setString(2, upToId);
      statement.setString(3, afterId);
      statement.setString(4, owner);
      Jdbc.setInstant(statement, 5, leaseUntil);
      Jdbc.setInstant(statement, 6, now);
      statement.executeUpdate();
    }
  }

  /** The entity's claimed chunks, the earliest lease first; read without locks. */
  public static List<Chunk> all(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL)) {
      statement.setString(1, entity);
      try (ResultSet rs = statement.executeQuery()) {
        List<Chunk> chunks = new ArrayList<>();
        while (rs.next()) {
          chunks.add(new Chunk(rs.getString("after_id"), rs.getString("up_to_id"), rs.getString("lease_owner"),
              Jdbc.getInstant(rs, "lease_until")));
        }
        return chunks;
      }
    }
  }

  /**
   * Makes {@code chunk} {@code owner}'s until {@code leaseUntil}, if it is still as read (same owner, same lease), and
   * tells whether it did: two nodes taking over the same chunk cannot both succeed. Waits while the chunk is being
   * copied (its row is locked), then finds it gone.
   */
  public static boolean takeOver(Connection connection, String entity, Chunk chunk, String owner,
      Instant leaseUntil, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(TAKE_OVER)) {
      statement.setString(1, owner);
      Jdbc.setInstant(statement, 2, leaseUntil);
      Jdbc.setInstant(statement, 3, now);
      statement.setString(4, entity);
      statement.setString(5, chunk.upToId());
      statement.setString(6, chunk.owner());
      Jdbc.setInstant(statement, 7, chunk.leaseUntil());
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Locks the chunk's row until the transaction ends and tells whether {@code owner} still holds it (false when it
   * was taken over or is gone).
   */
  public static boolean lockIfOwned(Connection connection, String entity, String upToId, String owner)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOCK_OWNER)) {
      statement.setString(1, entity);
      statement.setString(2, upToId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && owner.equals(rs.getString(1));
      }
    }
  }

  /** Deletes a copied chunk. */
  public static void delete(Connection connection, String entity, String upToId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
      statement.setString(1, entity);
      statement.setString(2, upToId);
      statement.executeUpdate();
    }
  }

  /** Deletes every claimed chunk of the entity (a reset, or a backfill that starts over). */
  public static void deleteAll(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(DELETE_ALL)) {
      statement.setString(1, entity);
      statement.executeUpdate();
    }
  }
}

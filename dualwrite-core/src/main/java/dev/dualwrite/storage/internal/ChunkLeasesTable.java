package dev.dualwrite.storage.internal;

import dev.dualwrite.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table of leased chunks of an entity's key range: {@code dualwrite_backfill_chunks} (the chunks of a backfill
 * claimed by a node and not yet copied) or {@code dualwrite_verification_chunks} (those of the entity's open
 * verification run claimed and not yet recorded), one row each, deleted by the transaction that records the chunk as
 * done. Both tables have the same columns. Every method works on the caller's connection inside the caller's
 * transaction and does not commit. Immutable and thread-safe.
 */
public final class ChunkLeasesTable {
  /** The backfill's chunks. */
  public static final ChunkLeasesTable BACKFILL = new ChunkLeasesTable("dualwrite_backfill_chunks");
  /** The chunks of verification runs. */
  public static final ChunkLeasesTable VERIFICATION = new ChunkLeasesTable("dualwrite_verification_chunks");

  /**
   * How often a node with chunks to claim looks for chunks left by others ({@link #takeOverLeft}), besides its first
   * claim and the claim after it found nothing to claim: a chunk is taken over once its lease has passed (minutes), so
   * looking once a second instead of at every claim delays that by a second at most, and spares each claim a read.
   */
  public static final Duration LEFT_CHUNKS_SEARCH_INTERVAL = Duration.ofSeconds(1);

  /** A claimed chunk: the keys after {@code afterId} ({@code null}: from the first key) up to {@code upToId}. */
  public record Chunk(String afterId, String upToId, String owner, Instant leaseUntil) {}

  private final String insert;
  private final String selectAll;
  private final String takeOver;
  private final String lockOwner;
  private final String extend;
  private final String move;
  private final String delete;
  private final String deleteOwned;
  private final String deleteAll;

  private ChunkLeasesTable(String table) {
    this.insert = "INSERT INTO " + table + " (entity, up_to_id, after_id, lease_owner, lease_until, claimed_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)";
    this.selectAll = "SELECT after_id, up_to_id, lease_owner, lease_until FROM " + table
        + " WHERE entity = ? ORDER BY lease_until";
    this.takeOver = "UPDATE " + table + " SET lease_owner = ?, lease_until = ?, claimed_at = ?"
        + " WHERE entity = ? AND up_to_id = ? AND lease_owner = ? AND lease_until = ?";
    this.lockOwner = "SELECT lease_owner FROM " + table + " WHERE entity = ? AND up_to_id = ? FOR UPDATE";
    this.extend = "UPDATE " + table + " SET lease_until = ? WHERE entity = ? AND up_to_id = ? AND lease_owner = ?";
    this.move = "UPDATE " + table + " SET after_id = ?, up_to_id = ?, lease_until = ?, claimed_at = ?"
        + " WHERE entity = ? AND up_to_id = ? AND lease_owner = ?";
    this.delete = "DELETE FROM " + table + " WHERE entity = ? AND up_to_id = ?";
    this.deleteOwned = "DELETE FROM " + table + " WHERE entity = ? AND up_to_id = ? AND lease_owner = ?";
    this.deleteAll = "DELETE FROM " + table + " WHERE entity = ?";
  }

  /** Records a chunk claimed by {@code owner} until {@code leaseUntil}. */
  public void insert(Connection connection, String entity, String afterId, String upToId, String owner,
      Instant leaseUntil, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
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
  public List<Chunk> all(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectAll)) {
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
   * Takes over the first chunk of the entity left by a dead node (its lease passed before {@code now}) or by an
   * earlier run of {@code owner} itself, leaving alone those in {@code held} (the ones this run of {@code owner} holds),
   * and returns it as it was before; empty when there is none.
   */
  public Optional<Chunk> takeOverLeft(Connection connection, String entity, String owner, Set<String> held,
      Instant leaseUntil, Instant now) throws SQLException {
    for (Chunk chunk : all(connection, entity)) {
      boolean left = chunk.owner().equals(owner) || chunk.leaseUntil().isBefore(now);
      if (left && !held.contains(chunk.upToId()) && takeOver(connection, entity, chunk, owner, leaseUntil, now)) {
        return Optional.of(chunk);
      }
    }
    return Optional.empty();
  }

  /**
   * Makes {@code chunk} {@code owner}'s until {@code leaseUntil}, if it is still as read (same owner, same lease), and
   * tells whether it did: two nodes taking over the same chunk cannot both succeed. Waits while the chunk is being
   * recorded (its row is locked), then finds it gone.
   */
  public boolean takeOver(Connection connection, String entity, Chunk chunk, String owner, Instant leaseUntil,
      Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(takeOver)) {
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
  public boolean lockIfOwned(Connection connection, String entity, String upToId, String owner) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(lockOwner)) {
      statement.setString(1, entity);
      statement.setString(2, upToId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && owner.equals(rs.getString(1));
      }
    }
  }

  /**
   * Moves the lease of {@code owner}'s chunk to {@code leaseUntil}: later to keep it, or now to hand it to the next
   * node that claims. Tells whether {@code owner} still held it.
   */
  public boolean extend(Connection connection, String entity, String upToId, String owner, Instant leaseUntil)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(extend)) {
      Jdbc.setInstant(statement, 1, leaseUntil);
      statement.setString(2, entity);
      statement.setString(3, upToId);
      statement.setString(4, owner);
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Ends {@code owner}'s lease of the chunk up to {@code upToId} and, in the same row, leases it the next chunk (after
   * {@code afterId} up to {@code nextUpToId}) until {@code leaseUntil}: one write where a delete and an insert would be
   * two. Tells whether {@code owner} still held the chunk; when not, nothing is written.
   */
  public boolean moveIfOwned(Connection connection, String entity, String upToId, String owner, String afterId,
      String nextUpToId, Instant leaseUntil, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(move)) {
      statement.setString(1, afterId);
      statement.setString(2, nextUpToId);
      Jdbc.setInstant(statement, 3, leaseUntil);
      Jdbc.setInstant(statement, 4, now);
      statement.setString(5, entity);
      statement.setString(6, upToId);
      statement.setString(7, owner);
      return statement.executeUpdate() == 1;
    }
  }

  /** Deletes {@code owner}'s chunk that is done, and tells whether {@code owner} still held it. */
  public boolean deleteIfOwned(Connection connection, String entity, String upToId, String owner)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(deleteOwned)) {
      statement.setString(1, entity);
      statement.setString(2, upToId);
      statement.setString(3, owner);
      return statement.executeUpdate() == 1;
    }
  }

  /** Deletes a chunk that is done. */
  public void delete(Connection connection, String entity, String upToId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(delete)) {
      statement.setString(1, entity);
      statement.setString(2, upToId);
      statement.executeUpdate();
    }
  }

  /** Deletes every claimed chunk of the entity (a reset, or a run that starts over). */
  public void deleteAll(Connection connection, String entity) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(deleteAll)) {
      statement.setString(1, entity);
      statement.executeUpdate();
    }
  }
}

package dev.dualwrite.hibernate;

import dev.dualwrite.test.db.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** dualwrite's own tables in tests: emptied before each test, and read where a test checks what was recorded. */
final class DualWriteTables {
  private DualWriteTables() {}

  /** Empties the outbox, the phases, the backfill checkpoints, the verification runs and their claimed chunks. */
  static void reset(TestDatabase db) {
    MirrorFixture.reset(db);
    db.execute("DELETE FROM dualwrite_backfill", "DELETE FROM dualwrite_backfill_chunks",
        "DELETE FROM dualwrite_verification", "DELETE FROM dualwrite_verification_chunks");
  }

  /** The newest outbox row of {@code entity} for {@code entityId}: its id (the change's version), payload and origin. */
  static OutboxRow lastOutboxRow(TestDatabase db, String entity, String entityId) {
    String sql = "SELECT id, payload, origin FROM dualwrite_outbox WHERE entity = ? AND entity_id = ?"
        + " ORDER BY id DESC";
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, entity);
      statement.setString(2, entityId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no outbox row for " + entity + " " + entityId);
        }
        return new OutboxRow(rs.getLong("id"), rs.getString("payload"), rs.getString("origin"));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One outbox row as a test sees it. */
  record OutboxRow(long id, String payload, String origin) {}
}

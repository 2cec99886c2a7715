package dev.dualwrite.storage.internal;

import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.outbox.OutboxEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What differs between the databases in the SQL on dualwrite's tables, one constant per {@link DatabaseDialect}: how
 * the relay claims outbox rows, how due rows are locked, how delivered rows are purged. Immutable and thread-safe.
 */
public enum StorageDialect {
  /** Claims in one {@code UPDATE ... RETURNING}; a subquery bounds the purge. */
  POSTGRESQL {
    @Override
    List<OutboxEntry> claim(OutboxTable outbox, Connection connection, int max, Instant now, Instant leaseUntil,
        String owner) throws SQLException {
      return outbox.claimInOneStatement(connection, max, now, leaseUntil, owner);
    }

    @Override
    String lockDue() {
      return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    String purgeDelivered() {
      return PURGE_BY_SUBQUERY;
    }
  },
  /** MariaDB and MySQL: select with skipped locks, then lease; {@code DELETE ... ORDER BY ... LIMIT} purges. */
  MYSQL {
    @Override
    List<OutboxEntry> claim(OutboxTable outbox, Connection connection, int max, Instant now, Instant leaseUntil,
        String owner) throws SQLException {
      return outbox.selectThenLease(connection, max, now, leaseUntil, owner);
    }

    @Override
    String lockDue() {
      return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    String purgeDelivered() {
      return "DELETE FROM dualwrite_outbox WHERE status = 'DELIVERED' AND delivered_at < ? ORDER BY id LIMIT ?";
    }
  },
  /** H2 has no {@code SKIP LOCKED}: select with plain {@code FOR UPDATE}, then lease. */
  H2 {
    @Override
    List<OutboxEntry> claim(OutboxTable outbox, Connection connection, int max, Instant now, Instant leaseUntil,
        String owner) throws SQLException {
      return outbox.selectThenLease(connection, max, now, leaseUntil, owner);
    }

    @Override
    String lockDue() {
      return " FOR UPDATE";
    }

    @Override
    String purgeDelivered() {
      return PURGE_BY_SUBQUERY;
    }
  };

  private static final String PURGE_BY_SUBQUERY =
      "DELETE FROM dualwrite_outbox WHERE id IN (SELECT id FROM dualwrite_outbox WHERE status = 'DELIVERED'"
          + " AND delivered_at < ? ORDER BY id LIMIT ?)";

  /** The storage dialect of {@code dialect}. */
  public static StorageDialect of(DatabaseDialect dialect) {
    return valueOf(dialect.name());
  }

  /** Claims up to {@code max} due outbox rows for {@code owner} until {@code leaseUntil}, in id order. */
  abstract List<OutboxEntry> claim(OutboxTable outbox, Connection connection, int max, Instant now,
      Instant leaseUntil, String owner) throws SQLException;

  /** The lock clause appended to the select of due rows when claiming takes two statements. */
  abstract String lockDue();

  /** Deletes up to {@code ?2} rows delivered before {@code ?1}, oldest first. */
  abstract String purgeDelivered();
}

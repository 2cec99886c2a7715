package dev.dualwrite.storage.internal;

import dev.dualwrite.jdbc.DatabaseDialect;

/**
 * What differs between the databases in the SQL on dualwrite's tables, one constant per {@link DatabaseDialect}: how
 * the relay claims outbox rows, how due rows are locked, how delivered rows are purged. Immutable and thread-safe.
 */
public enum StorageDialect {
  /** Claims in one {@code UPDATE ... RETURNING}; a subquery bounds the purge. */
  POSTGRESQL(true, true, " FOR UPDATE SKIP LOCKED", Sql.PURGE_BY_SUBQUERY),
  /** MariaDB and MySQL: select with skipped locks, then lease; {@code DELETE ... ORDER BY ... LIMIT} purges. */
  MYSQL(false, true, " FOR UPDATE SKIP LOCKED",
      "DELETE FROM dualwrite_outbox WHERE status = 'DELIVERED' AND delivered_at < ? ORDER BY id LIMIT ?"),
  /** H2 has no {@code SKIP LOCKED}: select with plain {@code FOR UPDATE}, then lease. */
  H2(false, false, " FOR UPDATE", Sql.PURGE_BY_SUBQUERY);

  private final boolean claimsInOneStatement;
  private final boolean holdsLocks;
  private final String lockDue;
  private final String purgeDelivered;

  StorageDialect(boolean claimsInOneStatement, boolean holdsLocks, String lockDue, String purgeDelivered) {
    this.claimsInOneStatement = claimsInOneStatement;
    this.holdsLocks = holdsLocks;
    this.lockDue = lockDue;
    this.purgeDelivered = purgeDelivered;
  }

  /** The storage dialect of {@code dialect}. */
  public static StorageDialect of(DatabaseDialect dialect) {
    return valueOf(dialect.name());
  }

  /** Whether due outbox rows are selected, locked and leased in one statement rather than select-then-lease. */
  boolean claimsInOneStatement() {
    return claimsInOneStatement;
  }

  /**
   * Whether the relay claims by holding row locks ({@code SKIP LOCKED}) in a transaction open during delivery, rather
   * than by writing a lease: H2 cannot skip locked rows, so two relays holding locks there would wait for each other.
   */
  boolean holdsLocks() {
    return holdsLocks;
  }

  /** The lock clause appended to the select of due rows when claiming takes two statements. */
  String lockDue() {
    return lockDue;
  }

  /** Deletes up to {@code ?2} rows delivered before {@code ?1}, oldest first. */
  String purgeDelivered() {
    return purgeDelivered;
  }

  /** SQL shared by several constants (an enum's constants cannot refer to its own static fields). */
  private static final class Sql {
    static final String PURGE_BY_SUBQUERY =
        "DELETE FROM dualwrite_outbox WHERE id IN (SELECT id FROM dualwrite_outbox WHERE status = 'DELIVERED'"
            + " AND delivered_at < ? ORDER BY id LIMIT ?)";
  }
}

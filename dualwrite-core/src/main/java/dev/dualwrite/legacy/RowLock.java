package dev.dualwrite.legacy;

/** The row locks a legacy read takes, held until its transaction ends. */
public enum RowLock {
  /** A plain read: no row locks (the database's usual consistent read). */
  NONE,
  /**
   * Shared row locks on every row read ({@code FOR SHARE} on PostgreSQL, {@code LOCK IN SHARE MODE} on MariaDB and
   * MySQL): other transactions can still read the rows but a write to them waits until this transaction ends.
   */
  SHARED
}

package dev.dualwrite.legacy;

import java.sql.SQLException;

/**
 * Reads one mirrored entity's rows from the legacy database, for the backfill and the verifier.
 *
 * <p>The contract that keeps the backfill and the verifier honest:
 * <ul>
 *   <li>Rows are produced as the live write path sends them: the same JSON snapshot, byte for byte.
 *   <li>The legacy database is the one that holds dualwrite's tables: {@link LegacyTransaction#connection()} is used to
 *       append outbox rows in the same transaction as the rows were read.
 *   <li>{@link RowLock#SHARED} really takes shared row locks, held until the transaction ends. The backfill and the
 *       repair read with them and append in the same transaction: a change's version is its outbox row id, so a live
 *       write to a row they read either committed before the read (and is in the snapshot) or waits for them to
 *       commit (and gets a higher version).
 * </ul>
 *
 * <p>Implementations must be thread-safe: the backfill and the verifier may run transactions from several threads at
 * once, each with its own {@link LegacyTransaction}.
 */
public interface LegacySource {

  /** The migration entity the rows belong to, e.g. {@code users}, as configured in {@code DualWrite}. */
  String entity();

  /**
   * Whether {@link LegacyTransaction#scan} walks keys in the mirror protocol's listing order
   * ({@link dev.dualwrite.target.ListingOrder}), as a scan over an integer id column does. When it does, the verifier
   * walks legacy and the new service's listing side by side and reads every key once from each store; when it does
   * not (text ids, whose order is the database's collation), it looks each chunk's keys up in the other store
   * instead. Answer {@code true} only when the orders agree for every id: a wrong answer costs the verifier extra
   * re-checks, never a wrong result. The default is {@code false}.
   */
  default boolean scansInListingOrder() {
    return false;
  }

  /**
   * Runs {@code work} in a new transaction: commits when it returns, rolls back when it throws.
   *
   * @throws SQLException when the database fails, including a deadlock or serialization failure (SQLState class
   *     {@code 40}), which dualwrite retries; implementations must keep the {@link SQLException} in the cause chain of
   *     whatever they throw
   */
  <T> T inTransaction(LegacyWork<T> work) throws SQLException;

  /** Work done in one legacy transaction. */
  @FunctionalInterface
  interface LegacyWork<T> {
    T run(LegacyTransaction transaction) throws SQLException;
  }
}

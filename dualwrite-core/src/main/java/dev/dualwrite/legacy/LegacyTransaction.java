package dev.dualwrite.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * One transaction on the legacy database, opened by {@link LegacySource#inTransaction}. Valid only inside that call
 * and only on its thread.
 *
 * <p>Ids travel as strings (the form the mirror sends); implementations turn them back into the entity's id type.
 * The key order is the database's order of the id column; it need not match the mirror protocol's listing order.
 */
public interface LegacyTransaction {

  /**
   * The transaction's JDBC connection. dualwrite appends outbox rows and writes its checkpoints on it, so they commit
   * or roll back with the rows read. Do not commit, roll back or close it.
   */
  Connection connection();

  /**
   * Up to {@code limit} rows whose ids come after {@code afterId} and, when {@code upToId} is given, not after it, in
   * key order: keyset pagination ({@code WHERE id > ? AND id <= ? ORDER BY id LIMIT ?}), never an offset.
   *
   * @param afterId the last id of the previous page, or {@code null} for the first page
   * @param upToId the last id the scan may return, or {@code null} for no bound (a chunk of a backfill ends at its
   *     {@code upToId}, so that several nodes can copy neighbouring chunks at once)
   * @param limit at least 1
   * @param lock the row locks to take on the rows read
   * @throws IllegalArgumentException when {@code afterId} or {@code upToId} is not a valid id of the entity
   */
  List<LegacyRow> scan(String afterId, String upToId, int limit, RowLock lock) throws SQLException;

  /**
   * Up to {@code limit} ids after {@code afterId} ({@code null}: from the first key), in key order, read without row
   * locks: where the backfill's next chunk ends. The default scans the rows and keeps their ids; a source that can
   * read the id column alone (an index-only scan) should.
   *
   * @throws IllegalArgumentException when {@code afterId} is not a valid id of the entity
   */
  default List<String> scanIds(String afterId, int limit) throws SQLException {
    return scan(afterId, null, limit, RowLock.NONE).stream().map(LegacyRow::id).toList();
  }

  /**
   * The rows with the given ids, in any order; ids without a row are left out, and so are ids that are not valid ids
   * of the entity (the new service may list any string; such a copy has no legacy row).
   *
   * @param ids at most 1000 ids
   */
  List<LegacyRow> read(Collection<String> ids, RowLock lock) throws SQLException;

  /**
   * Writes the row of {@code id} from {@code snapshot}, as the new service holds it: the reverse sync of an entity the
   * new service is authoritative for ({@code NEW_WRITES}). Updates the row when it exists (fields the snapshot does not
   * carry keep their values), inserts it otherwise. The write must not be recorded in the outbox again (no echo) and
   * must not be refused as a legacy write in {@code NEW_ONLY}. The default refuses: a source that cannot write
   * cannot take an entity past {@code NEW_READS}.
   *
   * @param snapshot the entity as a JSON object, in the form the write path sends it
   * @throws SQLException when legacy refuses the row (a constraint, say): the change becomes a dead letter
   */
  default void upsert(String id, String snapshot) throws SQLException {
    throw new UnsupportedOperationException(getClass().getName() + " cannot write rows back into legacy; the reverse"
        + " sync of NEW_WRITES needs LegacyTransaction.upsert and delete");
  }

  /**
   * Deletes the row of {@code id}, if there is one: a delete the new service made, synced back. As {@link #upsert},
   * never recorded in the outbox.
   */
  default void delete(String id) throws SQLException {
    throw new UnsupportedOperationException(getClass().getName() + " cannot write rows back into legacy; the reverse"
        + " sync of NEW_WRITES needs LegacyTransaction.upsert and delete");
  }

  /**
   * Writes several rows as {@link #upsert} and {@link #delete} do, in order; an implementation may batch them. The
   * default writes them one by one.
   *
   * @throws SQLException when legacy refuses one of them; what was written before it is rolled back with the
   *     transaction
   */
  default void write(List<LegacyWrite> writes) throws SQLException {
    for (LegacyWrite write : writes) {
      if (write.snapshot() == null) {
        delete(write.id());
      } else {
        upsert(write.id(), write.snapshot());
      }
    }
  }

  /**
   * How many rows come after {@code afterId} in key order ({@code null}: all rows), for progress estimates. May be an
   * estimate.
   */
  long countAfter(String afterId) throws SQLException;
}

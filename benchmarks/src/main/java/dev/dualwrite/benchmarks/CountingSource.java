package dev.dualwrite.benchmarks;

import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.LegacyTransaction;
import dev.dualwrite.legacy.RowLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A legacy source that counts the rows its scans read in transactions that committed: what one node walked. */
final class CountingSource implements LegacySource {
  private final LegacySource delegate;
  private final AtomicLong rows = new AtomicLong();

  CountingSource(LegacySource delegate) {
    this.delegate = delegate;
  }

  /** The rows scanned by committed transactions. */
  long rows() {
    return rows.get();
  }

  @Override
  public String entity() {
    return delegate.entity();
  }

  @Override
  public boolean scansInListingOrder() {
    return delegate.scansInListingOrder();
  }

  @Override
  public <T> T inTransaction(LegacyWork<T> work) throws SQLException {
    AtomicLong scanned = new AtomicLong();
    T result = delegate.inTransaction(tx -> work.run(new LegacyTransaction() {
      @Override
      public Connection connection() {
        return tx.connection();
      }

      @Override
      public List<LegacyRow> scan(String afterId, String upToId, int limit, RowLock lock) throws SQLException {
        List<LegacyRow> read = tx.scan(afterId, upToId, limit, lock);
        scanned.addAndGet(read.size());
        return read;
      }

      @Override
      public List<String> scanIds(String afterId, int limit) throws SQLException {
        return tx.scanIds(afterId, limit);
      }

      @Override
      public List<LegacyRow> read(Collection<String> ids, RowLock lock) throws SQLException {
        return tx.read(ids, lock);
      }

      @Override
      public long countAfter(String afterId) throws SQLException {
        return tx.countAfter(afterId);
      }
    }));
    rows.addAndGet(scanned.get());
    return result;
  }
}

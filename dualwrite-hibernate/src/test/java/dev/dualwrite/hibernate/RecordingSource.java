package dev.dualwrite.hibernate;

import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.LegacyTransaction;
import dev.dualwrite.legacy.RowLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A legacy source that records what it scans and how many keys it looks up, can act inside a scan's transaction (run
 * a hook once the rows are read, while their locks are held, or crash on the n-th scan as a killed process would,
 * rolling its transaction back) or before a read of keys, and can deny that its scans follow the listing order.
 */
final class RecordingSource implements LegacySource {
  /** One scan of rows (not of ids alone): the id it read after and the ids it read. */
  record Scan(String afterId, List<String> ids) {}

  private final LegacySource delegate;
  private final List<Scan> scans = new CopyOnWriteArrayList<>();
  private final AtomicInteger scanCount = new AtomicInteger();
  private final AtomicLong keysLookedUp = new AtomicLong();
  private final AtomicLong lookups = new AtomicLong();
  private volatile boolean inListingOrder;
  private volatile int crashAtScan = -1;
  private volatile Consumer<List<LegacyRow>> afterScan = rows -> {};
  private volatile Consumer<Collection<String>> beforeRead = ids -> {};

  RecordingSource(LegacySource delegate) {
    this.delegate = delegate;
    this.inListingOrder = delegate.scansInListingOrder();
  }

  /** Answers {@link #scansInListingOrder()} with false, as a source with text ids would. */
  RecordingSource notInListingOrder() {
    this.inListingOrder = false;
    return this;
  }

  /** Makes the {@code n}-th scan (from 1) fail after reading its rows, inside its transaction. */
  RecordingSource crashingAtScan(int n) {
    this.crashAtScan = n;
    return this;
  }

  /** Runs {@code hook} after every scan, inside its transaction. */
  RecordingSource afterScan(Consumer<List<LegacyRow>> hook) {
    this.afterScan = hook;
    return this;
  }

  /** Runs {@code hook} before every read of keys by id, inside its transaction. */
  RecordingSource beforeRead(Consumer<Collection<String>> hook) {
    this.beforeRead = hook;
    return this;
  }

  /** The scans that returned rows to a transaction that committed or not, in order. */
  List<Scan> scans() {
    return List.copyOf(scans);
  }

  /** How many keys were asked for by id ({@link LegacyTransaction#read}), in all. */
  long keysLookedUp() {
    return keysLookedUp.get();
  }

  /** How many times keys were asked for by id: one bulk read each, e.g. one per round of re-checks. */
  long lookups() {
    return lookups.get();
  }

  /** How many rows all scans read. */
  long rowsScanned() {
    return scans.stream().mapToLong(s -> s.ids().size()).sum();
  }

  @Override
  public String entity() {
    return delegate.entity();
  }

  @Override
  public boolean scansInListingOrder() {
    return inListingOrder;
  }

  @Override
  public <T> T inTransaction(LegacyWork<T> work) throws SQLException {
    return delegate.inTransaction(tx -> work.run(new LegacyTransaction() {
      @Override
      public Connection connection() {
        return tx.connection();
      }

      @Override
      public List<LegacyRow> scan(String afterId, String upToId, int limit, RowLock lock) throws SQLException {
        List<LegacyRow> rows = tx.scan(afterId, upToId, limit, lock);
        scans.add(new Scan(afterId, rows.stream().map(LegacyRow::id).toList()));
        if (scanCount.incrementAndGet() == crashAtScan) {
          throw new IllegalStateException("simulated crash in scan " + crashAtScan + " after id " + afterId);
        }
        afterScan.accept(rows);
        return rows;
      }

      @Override
      public List<String> scanIds(String afterId, int limit) throws SQLException {
        return tx.scanIds(afterId, limit);
      }

      @Override
      public List<LegacyRow> read(Collection<String> ids, RowLock lock) throws SQLException {
        beforeRead.accept(ids);
        keysLookedUp.addAndGet(ids.size());
        lookups.incrementAndGet();
        return tx.read(ids, lock);
      }

      @Override
      public long countAfter(String afterId) throws SQLException {
        return tx.countAfter(afterId);
      }
    }));
  }
}

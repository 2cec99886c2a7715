package dev.dualwrite.gate.internal;

import dev.dualwrite.storage.internal.ShadowStatsTable;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShadowComparisons} counted in memory per (entity, phase revision) and added to this node's row of
 * {@code dualwrite_shadow_stats} ({@link ShadowStatsTable}) by {@link #flush()}. Thread-safe.
 */
public final class JdbcShadowComparisons implements ShadowComparisons {
  private static final Logger log = LoggerFactory.getLogger(JdbcShadowComparisons.class);

  private record Key(String entity, long revision) {}

  private record Counts(LongAdder compared, LongAdder mismatched) {}

  private final ShadowStatsTable table;
  private final String node;
  private final Map<Key, Counts> pending = new ConcurrentHashMap<>();

  public JdbcShadowComparisons(DataSource dataSource, String node) {
    this.table = new ShadowStatsTable(dataSource);
    this.node = node;
  }

  @Override
  public void record(String entity, long phaseRevision, boolean mismatched) {
    Counts counts = pending.computeIfAbsent(new Key(entity, phaseRevision),
        k -> new Counts(new LongAdder(), new LongAdder()));
    counts.compared().increment();
    if (mismatched) {
      counts.mismatched().increment();
    }
  }

  /** Adds what was counted since the last flush to this node's rows. Failures are logged and retried next time. */
  public synchronized void flush() {
    for (Map.Entry<Key, Counts> entry : pending.entrySet()) {
      long compared = entry.getValue().compared().sumThenReset();
      long mismatched = entry.getValue().mismatched().sumThenReset();
      if (compared == 0) {
        continue;
      }
      try {
        add(entry.getKey(), compared, mismatched);
      } catch (SQLException e) {
        entry.getValue().compared().add(compared);
        entry.getValue().mismatched().add(mismatched);
        log.warn("dualwrite: cannot record shadow comparisons of '{}' in dualwrite_shadow_stats, will retry: {}",
            entry.getKey().entity(), e.getMessage());
      }
    }
  }

  /** Every node's comparisons of {@code entity} from phase revision {@code fromRevision} on. */
  public ShadowStatsTable.Total total(String entity, long fromRevision) throws SQLException {
    return table.total(entity, fromRevision);
  }

  private void add(Key key, long compared, long mismatched) throws SQLException {
    table.add(key.entity(), node, key.revision(), compared, mismatched);
  }
}

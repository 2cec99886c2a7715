package dev.dualwrite.gate.internal;

import dev.dualwrite.gate.ShadowComparisons;
import dev.dualwrite.phase.Phases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShadowComparisons} counted in memory per (entity, phase revision) and added to this node's row of
 * {@code dualwrite_shadow_stats} by {@link #flush()}. Only this node writes its rows, so an update-else-insert needs no
 * locking between nodes. Thread-safe.
 */
public final class JdbcShadowComparisons implements ShadowComparisons {
  private static final Logger log = LoggerFactory.getLogger(JdbcShadowComparisons.class);
  private static final String ADD =
      "UPDATE dualwrite_shadow_stats SET compared = compared + ?, mismatched = mismatched + ?"
          + " WHERE entity = ? AND node = ? AND revision = ?";
  private static final String INSERT =
      "INSERT INTO dualwrite_shadow_stats (entity, node, revision, compared, mismatched) VALUES (?, ?, ?, ?, ?)";
  private static final String TOTAL =
      "SELECT COALESCE(SUM(compared), 0), COALESCE(SUM(mismatched), 0) FROM dualwrite_shadow_stats"
          + " WHERE entity = ? AND revision >= ?";

  private record Key(String entity, long revision) {}

  private record Counts(LongAdder compared, LongAdder mismatched) {}

  /** Comparisons counted across nodes. */
  public record Total(long compared, long mismatched) {}

  private final DataSource dataSource;
  private final Phases phases;
  private final String node;
  private final Map<Key, Counts> pending = new ConcurrentHashMap<>();

  public JdbcShadowComparisons(DataSource dataSource, Phases phases, String node) {
    this.dataSource = dataSource;
    this.phases = phases;
    this.node = node;
  }

  @Override
  public void record(String entity, boolean mismatched) {
    Counts counts = pending.computeIfAbsent(new Key(entity, phases.state(entity).revision()),
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
  public Total total(String entity, long fromRevision) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(TOTAL)) {
      s.setString(1, entity);
      s.setLong(2, fromRevision);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Total(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  private void add(Key key, long compared, long mismatched) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement update = c.prepareStatement(ADD)) {
        update.setLong(1, compared);
        update.setLong(2, mismatched);
        update.setString(3, key.entity());
        update.setString(4, node);
        update.setLong(5, key.revision());
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert = c.prepareStatement(INSERT)) {
        insert.setString(1, key.entity());
        insert.setString(2, node);
        insert.setLong(3, key.revision());
        insert.setLong(4, compared);
        insert.setLong(5, mismatched);
        insert.executeUpdate();
      }
    }
  }
}

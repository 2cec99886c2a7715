package dev.dualwrite.cutover.internal;

import dev.dualwrite.cutover.LegacyWritePath;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.storage.internal.LegacyWritePathsTable;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory of legacy write paths on a node: each legacy write of an entity in {@code NEW_READS} or later is
 * counted by call site, the first stack frame that belongs to the application rather than to dualwrite, the
 * persistence stack, the JDK or Spring, and {@link #flush()} adds the counts to {@code dualwrite_legacy_write_paths}.
 * Counts are kept per phase revision, so a move starts the inventory afresh. Thread-safe.
 */
public final class LegacyWritePaths {
  private static final Logger log = LoggerFactory.getLogger(LegacyWritePaths.class);
  /** Frames of these packages are never the application's call site. */
  private static final List<String> INFRASTRUCTURE = List.of("dev.dualwrite.NodeCapture", "dev.dualwrite.capture.",
      "dev.dualwrite.cutover.", "dev.dualwrite.hibernate.internal.", "dev.dualwrite.hibernate.DualWriteHibernate",
      "org.hibernate.", "jakarta.", "javax.", "java.", "jdk.", "sun.", "com.sun.", "org.springframework.",
      "net.bytebuddy.", "com.zaxxer.", "org.postgresql.", "org.mariadb.", "com.mysql.", "org.h2.");
  private static final StackWalker STACK = StackWalker.getInstance();

  private record Key(String entity, long revision, String callSite) {}

  private static final class Count {
    final LongAdder writes = new LongAdder();
    final AtomicReference<Instant> lastSeen = new AtomicReference<>();
  }

  private final Phases phases;
  private final LegacyWritePathsTable table;
  private final String node;
  private final Clock clock;
  private final Map<Key, Count> counts = new ConcurrentHashMap<>();

  public LegacyWritePaths(Phases phases, LegacyWritePathsTable table, String node, Clock clock) {
    this.phases = phases;
    this.table = table;
    this.node = node;
    this.clock = clock;
  }

  /** Counts a legacy write of {@code entity} at the caller's call site, when the entity is in NEW_READS or later. */
  public void seen(String entity) {
    PhaseState state = phases.state(entity);
    if (state.phase().ordinal() < MigrationPhase.NEW_READS.ordinal()) {
      return;
    }
    Count count = counts.computeIfAbsent(new Key(entity, state.revision(), callSite()), k -> new Count());
    count.writes.increment();
    count.lastSeen.set(clock.instant());
  }

  /** Adds what was counted since the last flush to this node's rows. Failures are logged and retried next time. */
  public synchronized void flush() {
    for (Map.Entry<Key, Count> entry : counts.entrySet()) {
      Key key = entry.getKey();
      Count count = entry.getValue();
      long writes = count.writes.sumThenReset();
      if (writes > 0) {
        try {
          table.add(key.entity(), key.revision(), node, key.callSite(), writes, count.lastSeen.get());
        } catch (SQLException e) {
          count.writes.add(writes);
          log.warn("dualwrite: could not record {} legacy write(s) of {} at {}; tried again at the next flush: {}",
              writes, key.entity(), key.callSite(), e.toString());
        }
      } else if (key.revision() < phases.state(key.entity()).revision()) {
        counts.remove(key, count); // an earlier phase revision's, all recorded
      }
    }
  }

  /** The call sites that wrote {@code entity} to legacy since its last move, every node's, most writes first. */
  public List<LegacyWritePath> paths(String entity, int limit) throws SQLException {
    flush();
    return table.paths(entity, phases.state(entity).revision(), limit);
  }

  /** {@code class.method:line} of the first frame that is the application's, or {@code unknown}. */
  static String callSite() {
    Optional<String> site = STACK.walk(frames -> frames
        .filter(f -> !infrastructure(f.getClassName()))
        .findFirst()
        .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()));
    String text = site.orElse("unknown");
    return text.length() <= LegacyWritePathsTable.CALL_SITE_LIMIT ? text
        : text.substring(0, LegacyWritePathsTable.CALL_SITE_LIMIT);
  }

  private static boolean infrastructure(String className) {
    if (className.contains("$$") || className.contains("$Proxy")) {
      return true; // generated proxies (Spring, CGLIB, Hibernate)
    }
    for (String prefix : INFRASTRUCTURE) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}

package dev.dualwrite;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.LegacyWritePath;
import dev.dualwrite.cutover.ReverseSync;
import dev.dualwrite.cutover.internal.LegacyWritePaths;
import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.cutover.internal.WriteThrough;
import dev.dualwrite.gate.internal.GateEvidence;
import dev.dualwrite.gate.internal.GateKeeper;
import dev.dualwrite.gate.internal.JdbcShadowComparisons;
import dev.dualwrite.gate.internal.ShadowComparisons;
import dev.dualwrite.guard.internal.GuardWatch;
import dev.dualwrite.internal.DaemonThreads;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.internal.CachedPhases;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.read.UndeliveredWrites;
import dev.dualwrite.read.internal.LocalUndeliveredWrites;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.relay.Relay;
import dev.dualwrite.relay.internal.DefaultRelay;
import dev.dualwrite.storage.internal.LegacyWritePathsTable;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.internal.GuardedTracing;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monolith node's dualwrite, as {@link DualWriteBuilder} builds it: it owns the phases, dualwrite's tables, the
 * clock, one scheduler for the periodic work (phase refresh, undelivered-write sweep, shadow statistics) and the
 * capture, and starts the relay. Applications see it as {@link DualWrite}; the parts built on it reach the rest
 * through {@link NodeServices}. Thread-safe.
 */
final class Node implements DualWrite, NodeServices {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final Duration SHADOW_FLUSH = Duration.ofSeconds(5);
  private static final int PERIODIC_TASKS = 5;
  private static final Duration GUARD_CHECK = Duration.ofSeconds(1);
  private static final int LEGACY_WRITE_PATHS_SHOWN = 50;
  private static final Duration REVERSE_SYNC_POLL = Duration.ofMillis(200);

  private final Map<String, EntityMigration> entities = new LinkedHashMap<>();
  private final Clock clock;
  /** This node's name among the nodes (process and instance): in relay leases and shadow statistics. */
  private final String name =
      ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  /**
   * One thread per periodic task (phase refresh, undelivered-write sweep, shadow flush, reverse sync, rollback guards), so that a slow query of one
   * never holds back another: a phase refresh waiting behind a sweep over a large backlog would send phase reads on
   * the application's threads to the database.
   */
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(PERIODIC_TASKS, DaemonThreads.numbered("dualwrite-node-"));
  private final OutboxTable outbox;
  private final TargetClient targetClient;
  private final JdbcShadowComparisons shadowComparisons;
  private final GateKeeper gateKeeper;
  private final CachedPhases phases;
  private final MirrorCounters counters = new MirrorCounters();
  private final LocalUndeliveredWrites undeliveredWrites;
  private final DefaultRelay relay;
  private final NodeCapture capture;
  private final NodeReverseSync reverseSync;
  private final GuardWatch guards;
  private final LegacyWritePaths writePaths;
  private final GuardedTracing tracing;

  /** Called by {@link DualWriteBuilder#build()} once every setting is checked; {@code targetClient} may be null. */
  Node(DualWriteBuilder settings, PhaseStore phaseStore, TargetClient targetClient) {
    settings.entities().forEach(e -> entities.put(e.name(), e));
    DataSource dataSource = settings.dataSource();
    this.clock = settings.clock();
    this.tracing = new GuardedTracing(settings.tracing());
    this.targetClient = targetClient;
    this.outbox = dataSource == null ? null : new OutboxTable(dataSource, DatabaseDialect.detect(dataSource), clock);
    this.shadowComparisons = dataSource == null ? null : new JdbcShadowComparisons(dataSource, name);
    this.reverseSync = dataSource == null ? null : new NodeReverseSync(dataSource, outbox, targetClient,
        Map.copyOf(entities), settings.reverseSyncLease(), name, clock);
    this.gateKeeper = new GateKeeper(settings.phaseGates(), dataSource, phaseStore, outbox, shadowComparisons,
        targetClient, entity -> entities.get(entity).resource(), reverseSync, clock);
    this.phases = new CachedPhases(phaseStore, entities.keySet(), settings.phaseStaleness(), clock, gateKeeper,
        move -> {
          if (reverseSync != null) {
            reverseSync.moved(move);
          }
        }, scheduler);
    this.undeliveredWrites = new LocalUndeliveredWrites(entities.keySet(), outbox, clock);
    List<MirrorListener> listeners = new ArrayList<>();
    listeners.add(counters);
    listeners.add(undeliveredWrites);
    listeners.addAll(settings.listeners());
    MirrorListener listener = new CompositeMirrorListener(listeners);
    if (targetClient != null && settings.relayConfig().enabled()) {
      this.relay = new DefaultRelay(outbox, targetClient, Map.copyOf(entities), settings.relayConfig(), listener,
          clock, name, outbox::pausedEntities, tracing);
    } else {
      this.relay = null;
      log.info("dualwrite: this node does not deliver the outbox ({})",
          targetClient == null ? "no target configured" : "relay disabled");
    }
    this.writePaths = dataSource == null ? null
        : new LegacyWritePaths(phases, new LegacyWritePathsTable(dataSource), name, clock);
    this.capture = outbox == null ? null
        : new NodeCapture(entities, phases, outbox, undeliveredWrites, listener, relay,
            targetClient == null ? null : new WriteThrough(targetClient, clock), reverseSync, writePaths, tracing);
    if (outbox != null) {
      every(LocalUndeliveredWrites.SWEEP_INTERVAL, undeliveredWrites::sweep);
      every(SHADOW_FLUSH, () -> {
        shadowComparisons.flush();
        writePaths.flush();
      });
      every(REVERSE_SYNC_POLL, this::syncBack);
    }
    this.guards = outbox == null ? null
        : new GuardWatch(List.copyOf(entities.values()), phases, shadowComparisons, outbox, reverseSync, clock);
    if (guards != null && guards.any()) {
      every(GUARD_CHECK, this::checkRollbackGuards);
    }
    if (relay != null) {
      relay.start();
    }
  }

  /** A reverse-sync round for every entity this node can write back, until a round finds nothing more to apply. */
  private void syncBack() {
    for (String entity : reverseSync.attached()) {
      try {
        while (reverseSync.poll(entity, phases.current(entity)) > 0 && !Thread.currentThread().isInterrupted()) {
          // a full page was applied: read on at once
        }
      } catch (RuntimeException e) {
        log.warn("dualwrite: reverse sync round of {} failed: {}", entity, e.toString());
      }
    }
  }

  /** Checks every rollback guard once; the scheduler does every second, tests call it to check at a moment of theirs. */
  void checkRollbackGuards() {
    try {
      guards.check();
    } catch (RuntimeException e) {
      log.warn("dualwrite: rollback guard check failed: {}", e.toString());
    }
  }

  private void every(Duration period, Runnable task) {
    scheduler.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Phases phases() {
    return phases;
  }

  @Override
  public EntityMigration entity(String name) {
    EntityMigration entity = entities.get(name);
    if (entity == null) {
      throw unknown(name, entities.keySet());
    }
    return entity;
  }

  /** The error for an entity that is not among {@code configured}. */
  static IllegalArgumentException unknown(String name, Collection<String> configured) {
    return new IllegalArgumentException("unknown entity '" + name + "'; configured entities are "
        + List.copyOf(configured));
  }

  @Override
  public Collection<EntityMigration> entities() {
    return List.copyOf(entities.values());
  }

  @Override
  public Outbox outbox() {
    if (outbox == null) {
      throw new IllegalStateException("no outbox: configure withDataSource(...) with the monolith's database");
    }
    return outbox;
  }

  @Override
  public Relay relay() {
    if (relay == null) {
      throw new IllegalStateException("this node has no relay: configure withTargetUrl(...) or withTargetClient(...),"
          + " and keep RelayConfig enabled");
    }
    return relay;
  }

  @Override
  public ReverseSync reverseSync() {
    if (reverseSync == null) {
      throw new IllegalStateException("no reverse sync: configure withDataSource(...) with the monolith's database");
    }
    return reverseSync;
  }

  @Override
  public MirrorStats mirrorStats(String name) {
    entity(name);
    return mirrorStats(name, outbox == null ? Backlog.empty(name)
        : outbox.backlog().getOrDefault(name, Backlog.empty(name)));
  }

  private MirrorStats mirrorStats(String name, Backlog backlog) {
    MirrorCounters.Counts c = counters.of(name);
    Duration age = backlog.oldestPendingCreatedAt() == null ? Duration.ZERO
        : Duration.between(backlog.oldestPendingCreatedAt(), clock.instant());
    return new MirrorStats(name, c.appended.sum(), c.delivered.sum(), c.retried.sum(), c.deadLettered.sum(),
        backlog.pending(), age.isNegative() ? Duration.ZERO : age, backlog.deadLetters());
  }

  @Override
  public EntityStatus status(String name) {
    EntityMigration entity = entity(name);
    GateEvidence evidence = gateKeeper.evidence(name);
    PhaseState state = evidence.state();
    MigrationPhase next = state.phase().next();
    return new EntityStatus(name, entity.resource(), state,
        state.canaryPercent() != null ? state.canaryPercent() : entity.canaryPercent(),
        mirrorStats(name, evidence.backlog()), evidence.backfill(), evidence.lastVerification(),
        reverseSync == null ? null : reverseSync.status(name), legacyWritePaths(name), next,
        next == null ? List.of() : gateKeeper.judge(name, state.phase(), next, evidence), evidence.failure());
  }

  /** The entity's legacy write paths since its last move; empty without a data source or when they cannot be read. */
  private List<LegacyWritePath> legacyWritePaths(String name) {
    if (writePaths == null) {
      return List.of();
    }
    try {
      return writePaths.paths(name, LEGACY_WRITE_PATHS_SHOWN);
    } catch (SQLException e) {
      log.warn("dualwrite: the legacy write paths of {} cannot be read: {}", name, e.toString());
      return List.of();
    }
  }

  @Override
  public List<EntityStatus> status() {
    return entities.keySet().stream().map(this::status).toList();
  }

  // NodeServices

  @Override
  public Optional<ChangeCapture> capture() {
    return Optional.ofNullable(capture);
  }

  @Override
  public Optional<TargetClient> targetClient() {
    return Optional.ofNullable(targetClient);
  }

  @Override
  public Optional<TargetClient> deliveringTo(String entity) {
    if (relay == null || outbox.pausedEntities().contains(entity)) {
      return Optional.empty();
    }
    return Optional.of(targetClient);
  }

  @Override
  public long reserveVersion() throws SQLException {
    if (outbox == null) {
      throw new IllegalStateException("no outbox: configure withDataSource(...) with the monolith's database");
    }
    return outbox.reserveVersion();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public UndeliveredWrites undeliveredWrites() {
    return undeliveredWrites;
  }

  @Override
  public ShadowComparisons shadowComparisons() {
    return shadowComparisons != null ? shadowComparisons : ShadowComparisons.NONE;
  }

  @Override
  public Optional<NodeReverseSync> reverseSyncNode() {
    return Optional.ofNullable(reverseSync);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public GuardedTracing tracing() {
    return tracing;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      // a sweep or flush under way finishes its query first: after close, nothing here uses the data source
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (shadowComparisons != null) {
      shadowComparisons.flush();
      writePaths.flush();
    }
    if (relay != null) {
      relay.close();
    }
    if (targetClient != null) {
      targetClient.close();
    }
    phases.close();
  }
}

package dev.dualwrite.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.gate.PhaseGates;
import dev.dualwrite.gate.ShadowComparisons;
import dev.dualwrite.gate.internal.GateKeeper;
import dev.dualwrite.gate.internal.JdbcShadowComparisons;
import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.internal.CachedPhases;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.read.UndeliveredWrites;
import dev.dualwrite.read.internal.LocalUndeliveredWrites;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.relay.Relay;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.relay.internal.DefaultRelay;
import dev.dualwrite.target.spi.TargetClient;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link DualWrite} that {@link dev.dualwrite.DualWriteBuilder} builds. Thread-safe. */
public final class DefaultDualWrite implements DualWrite, ChangeCapture {
  private static final Logger log = LoggerFactory.getLogger(DefaultDualWrite.class);
  private static final Duration SHADOW_FLUSH = Duration.ofSeconds(5);
  private static final ShadowComparisons NO_SHADOW_LOG = (entity, mismatched) -> { };

  private final Map<String, EntityMigration> entities;
  private final Phases phases;
  private final OutboxTable outbox;
  private final TargetClient targetClient;
  private final DefaultRelay relay;
  private final MirrorCounters counters = new MirrorCounters();
  private final LocalUndeliveredWrites undeliveredWrites;
  private final MirrorListener listener;
  private final Clock clock;
  /** This node's name among the nodes (process and instance): in relay leases and shadow statistics. */
  private final String node =
      ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  private final JdbcShadowComparisons shadowComparisons;
  /** Set once in the constructor, after the phases it and the shadow log read through (they refer to each other). */
  private volatile GateKeeper gateKeeper;
  private final ScheduledExecutorService housekeeping;

  public DefaultDualWrite(
      List<EntityMigration> entities,
      PhaseStore phaseStore,
      Duration phaseStaleness,
      PhaseGates phaseGates,
      DataSource dataSource,
      TargetClient targetClient,
      RelayConfig relayConfig,
      List<MirrorListener> listeners,
      Clock clock) {
    this.entities = entities.stream()
        .collect(Collectors.toMap(EntityMigration::name, e -> e, (a, b) -> a, LinkedHashMap::new));
    this.clock = clock;
    this.targetClient = targetClient;
    this.outbox = dataSource == null ? null
        : new OutboxTable(dataSource, DatabaseDialect.detect(dataSource), clock);
    this.phases = new CachedPhases(phaseStore, this.entities.keySet(), phaseStaleness, clock,
        (entity, from, to) -> this.gateKeeper.check(entity, from, to));
    this.shadowComparisons = dataSource == null ? null : new JdbcShadowComparisons(dataSource, phases, node);
    this.gateKeeper = new GateKeeper(phaseGates, dataSource, phaseStore, outbox, shadowComparisons, clock);
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("dualwrite-housekeeping"));
    if (shadowComparisons != null) {
      housekeeping.scheduleWithFixedDelay(shadowComparisons::flush, SHADOW_FLUSH.toMillis(), SHADOW_FLUSH.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    this.undeliveredWrites = new LocalUndeliveredWrites(
        this.entities.keySet(), outbox, clock, LocalUndeliveredWrites.SWEEP_INTERVAL);
    List<MirrorListener> all = new ArrayList<>();
    all.add(counters);
    all.add(undeliveredWrites);
    all.addAll(listeners);
    this.listener = new CompositeMirrorListener(all);
    if (targetClient != null && relayConfig.enabled()) {
      this.relay = new DefaultRelay(outbox, targetClient, Map.copyOf(this.entities), relayConfig, listener, clock,
          node);
      relay.start();
    } else {
      this.relay = null;
      log.info("dualwrite: this node does not deliver the outbox ({})",
          targetClient == null ? "no target configured" : "relay disabled");
    }
  }

  @Override
  public Phases phases() {
    return phases;
  }

  @Override
  public EntityMigration entity(String name) {
    EntityMigration entity = entities.get(name);
    if (entity == null) {
      throw new IllegalArgumentException("unknown entity '" + name + "'; configured entities are "
          + List.copyOf(entities.keySet()));
    }
    return entity;
  }

  @Override
  public Collection<EntityMigration> entities() {
    return List.copyOf(entities.values());
  }

  @Override
  public Outbox outbox() {
    return requireOutbox();
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
  public TargetClient targetClient() {
    if (targetClient == null) {
      throw new IllegalStateException("no target is configured: call withTargetUrl(...) or withTargetClient(...)");
    }
    return targetClient;
  }

  @Override
  public UndeliveredWrites undeliveredWrites() {
    return undeliveredWrites;
  }

  @Override
  public ShadowComparisons shadowComparisons() {
    return shadowComparisons != null ? shadowComparisons : NO_SHADOW_LOG;
  }

  @Override
  public ChangeCapture capture() {
    requireOutbox();
    return this;
  }

  @Override
  public MirrorStats mirrorStats(String name) {
    entity(name);
    MirrorCounters.Counts c = counters.of(name);
    Backlog backlog = outbox == null ? Backlog.empty(name) : outbox.backlog().getOrDefault(name, Backlog.empty(name));
    Duration age = backlog.oldestPendingCreatedAt() == null ? Duration.ZERO
        : Duration.between(backlog.oldestPendingCreatedAt(), clock.instant());
    return new MirrorStats(name, c.appended.sum(), c.delivered.sum(), c.retried.sum(), c.deadLettered.sum(),
        backlog.pending(), age.isNegative() ? Duration.ZERO : age, backlog.deadLetters());
  }

  /**
   * The clock of {@code dualWrite}'s node ({@link dev.dualwrite.DualWriteBuilder#withClock}), for the backfill and the
   * verifier built on it; {@link Clock#systemUTC()} for a {@link DualWrite} this class did not build. Not part of
   * {@link DualWrite}.
   */
  public static Clock clockOf(DualWrite dualWrite) {
    return dualWrite instanceof DefaultDualWrite node ? node.clock : Clock.systemUTC();
  }

  // ChangeCapture

  @Override
  public MigrationPhase phase(String entity) {
    return phases.current(entity);
  }

  @Override
  public boolean isConfigured(String entity) {
    return entities.containsKey(entity);
  }

  @Override
  public List<Change> append(Connection connection, List<Change> changes) throws SQLException {
    return requireOutbox().append(connection, changes);
  }

  @Override
  public void committed(List<Change> changes) {
    undeliveredWrites.committed(changes);
    Map<String, Integer> perEntity = new LinkedHashMap<>();
    for (Change change : changes) {
      perEntity.merge(change.entity(), 1, Integer::sum);
    }
    perEntity.forEach(listener::onAppended);
    if (relay != null) {
      relay.nudge();
    }
  }

  @Override
  public void close() {
    housekeeping.shutdownNow();
    if (shadowComparisons != null) {
      shadowComparisons.flush();
    }
    if (relay != null) {
      relay.close();
    }
    if (targetClient != null) {
      targetClient.close();
    }
    undeliveredWrites.close();
    phases.close();
  }

  private OutboxTable requireOutbox() {
    if (outbox == null) {
      throw new IllegalStateException("no outbox: configure withDataSource(...) with the monolith's database");
    }
    return outbox;
  }
}

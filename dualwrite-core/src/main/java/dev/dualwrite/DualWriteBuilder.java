package dev.dualwrite;

import dev.dualwrite.gate.PhaseGates;
import dev.dualwrite.internal.Settings;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.spi.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Builds a {@link DualWrite}. Settings are checked in {@link #build()}, which names what is wrong and how to fix it.
 * Not thread-safe; what it builds is.
 */
public final class DualWriteBuilder {
  /** Default bound on how old a node's view of a phase may be. */
  public static final Duration DEFAULT_PHASE_STALENESS = Duration.ofSeconds(1);
  /** Default time a node holds the lease on an entity's change feed without renewing it. */
  public static final Duration DEFAULT_REVERSE_SYNC_LEASE = Duration.ofSeconds(10);

  private final Map<String, EntityMigration> entities = new LinkedHashMap<>();
  private String duplicateEntity;
  private DataSource dataSource;
  private PhaseStore phaseStore;
  private Duration phaseStaleness = DEFAULT_PHASE_STALENESS;
  private Duration reverseSyncLease = DEFAULT_REVERSE_SYNC_LEASE;
  private boolean createSchema;
  private Clock clock = Clock.systemUTC();
  private TargetClient targetClient;
  private String targetUrl;
  private RelayConfig relayConfig = RelayConfig.defaults();
  private final List<MirrorListener> listeners = new ArrayList<>();
  private PhaseGates phaseGates = PhaseGates.defaults();
  private Tracing tracing = Tracing.none();

  DualWriteBuilder() {}

  /**
   * The monolith's database: dualwrite keeps its tables there, so its outbox rows commit with the entity changes.
   */
  public DualWriteBuilder withDataSource(DataSource dataSource) {
    this.dataSource = dataSource;
    return this;
  }

  /** Where phases are kept; defaults to {@link PhaseStore#jdbc} over the data source. */
  public DualWriteBuilder withPhaseStore(PhaseStore phaseStore) {
    this.phaseStore = phaseStore;
    return this;
  }

  /**
   * Adds an entity to migrate. Each name may be added once.
   *
   * @throws IllegalArgumentException when {@code entity} is null
   */
  public DualWriteBuilder withEntity(EntityMigration entity) {
    if (entity == null) {
      throw new IllegalArgumentException("entity is null; build one with EntityMigration.builder(\"users\").build()");
    }
    if (entities.putIfAbsent(entity.name(), entity) != null) {
      duplicateEntity = entity.name();
    }
    return this;
  }

  /**
   * The bound on how old this node's view of a phase may be: another node's move is seen within it. Default 1 s;
   * from 10 ms to 1 hour.
   */
  public DualWriteBuilder withPhaseStaleness(Duration maxStaleness) {
    this.phaseStaleness = maxStaleness;
    return this;
  }

  /**
   * How long the node that consumes an entity's change feed in {@code NEW_WRITES} holds its lease without renewing it:
   * when that node dies, another takes over within this time. It renews the lease at every poll (every 200 ms), so
   * it must be longer than a page of changes takes to apply. Default 10 s; from 1 s to 10 minutes.
   */
  public DualWriteBuilder withReverseSyncLease(Duration lease) {
    this.reverseSyncLease = lease;
    return this;
  }

  /**
   * Whether to create dualwrite's tables at start when missing (default false). For demos and tests; in production
   * apply the migrations of {@link DualWriteSchema#migrationLocation} with your migration tool.
   */
  public DualWriteBuilder withSchemaAutoCreate(boolean createSchema) {
    this.createSchema = createSchema;
    return this;
  }

  /**
   * The new service's mirror-protocol base URL, e.g. {@code http://user-service:8081/mirror}: shorthand for
   * {@code withTargetClient(HttpTargetClient.builder(url).build())}. Use {@link HttpTargetClient#builder} for
   * timeouts, TLS and credentials.
   */
  public DualWriteBuilder withTargetUrl(String baseUrl) {
    this.targetUrl = baseUrl;
    return this;
  }

  /** How changes reach the new service; without one (and without a URL) this node does not deliver. */
  public DualWriteBuilder withTargetClient(TargetClient targetClient) {
    this.targetClient = targetClient;
    return this;
  }

  /** How this node's relay delivers the outbox; {@link RelayConfig#defaults()} unless set. */
  public DualWriteBuilder withRelay(RelayConfig relayConfig) {
    this.relayConfig = relayConfig;
    return this;
  }

  /**
   * The gates forward phase moves must pass; {@link PhaseGates#defaults()} unless set. The built-in gates read their
   * evidence from dualwrite's tables, so they apply only when a data source is configured.
   */
  public DualWriteBuilder withPhaseGates(PhaseGates phaseGates) {
    this.phaseGates = phaseGates;
    return this;
  }

  /** Adds a listener for appended, delivered, retried and dead-lettered changes. */
  public DualWriteBuilder onMirrorEvent(MirrorListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("mirror listener is null");
    }
    listeners.add(listener);
    return this;
  }

  /**
   * The application's tracer: each outbox row keeps the trace context current when its transaction appended it, and
   * the relay sends it with the mirrored write (header {@code traceparent}); relay deliveries, backfill chunks and
   * verification runs are observations of their own ({@link dev.dualwrite.trace.ObservedWork}). Default
   * {@link Tracing#none()}: nothing is stored, sent or observed.
   */
  public DualWriteBuilder withTracing(Tracing tracing) {
    this.tracing = tracing;
    return this;
  }

  /**
   * The clock moves and outbox rows are stamped with, and the backfill's checkpoints and the verifier's runs built on
   * this node; for tests.
   */
  public DualWriteBuilder withClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Checks the configuration and starts dualwrite. Nothing is created (tables, HTTP clients, threads) until every
   * check has passed.
   *
   * @throws IllegalArgumentException naming the setting at fault and what to do
   */
  public DualWrite build() {
    if (entities.isEmpty()) {
      throw new IllegalArgumentException(
          "no entity is configured; add one with withEntity(EntityMigration.builder(\"users\").build())");
    }
    if (duplicateEntity != null) {
      throw new IllegalArgumentException(
          "entity '" + duplicateEntity + "' is configured twice; give each entity one withEntity(...)");
    }
    if (phaseStaleness == null
        || phaseStaleness.compareTo(Duration.ofMillis(10)) < 0
        || phaseStaleness.compareTo(Duration.ofHours(1)) > 0) {
      throw Settings.invalid("phaseStaleness", phaseStaleness, "from 10 ms (PT0.01S) to 1 hour (PT1H)");
    }
    if (reverseSyncLease == null
        || reverseSyncLease.compareTo(Duration.ofSeconds(1)) < 0
        || reverseSyncLease.compareTo(Duration.ofMinutes(10)) > 0) {
      throw Settings.invalid("reverseSyncLease", reverseSyncLease, "from 1 s (PT1S) to 10 minutes (PT10M)");
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock is null; leave it unset for the system clock");
    }
    if (phaseStore == null && dataSource == null) {
      throw new IllegalArgumentException(
          "neither a data source nor a phase store is configured; call withDataSource(...) with the monolith's"
              + " database, or withPhaseStore(PhaseStore.inMemory()) for a single-node test");
    }
    if (createSchema && dataSource == null) {
      throw new IllegalArgumentException("schemaAutoCreate needs a data source; call withDataSource(...)");
    }
    if (targetClient != null && targetUrl != null) {
      throw new IllegalArgumentException(
          "both a target URL and a target client are configured; keep one (put the URL in the client)");
    }
    if (relayConfig == null) {
      throw new IllegalArgumentException("relay configuration is null; leave it unset for RelayConfig.defaults()");
    }
    if ((targetClient != null || targetUrl != null) && dataSource == null) {
      throw new IllegalArgumentException("a target is configured but no data source: the outbox lives in the"
          + " monolith's database; call withDataSource(...)");
    }
    if (phaseGates == null) {
      throw new IllegalArgumentException("phase gates are null; leave them unset for PhaseGates.defaults()");
    }
    if (tracing == null) {
      throw new IllegalArgumentException("tracing is null; leave it unset for Tracing.none()");
    }
    if (createSchema) {
      DualWriteSchema.createIfMissing(dataSource);
    }
    TargetClient client = targetClient != null ? targetClient
        : targetUrl != null ? HttpTargetClient.builder(targetUrl).build() : null;
    PhaseStore store = phaseStore != null ? phaseStore : PhaseStore.jdbc(dataSource);
    return new Node(this, store, client);
  }

  // read by the Node, once build() has checked them

  List<EntityMigration> entities() {
    return List.copyOf(entities.values());
  }

  DataSource dataSource() {
    return dataSource;
  }

  Duration phaseStaleness() {
    return phaseStaleness;
  }

  Clock clock() {
    return clock;
  }

  Duration reverseSyncLease() {
    return reverseSyncLease;
  }

  RelayConfig relayConfig() {
    return relayConfig;
  }

  List<MirrorListener> listeners() {
    return List.copyOf(listeners);
  }

  PhaseGates phaseGates() {
    return phaseGates;
  }

  Tracing tracing() {
    return tracing;
  }
}

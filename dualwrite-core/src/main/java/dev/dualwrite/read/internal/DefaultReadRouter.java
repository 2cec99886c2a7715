package dev.dualwrite.read.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.phase.Store;
import dev.dualwrite.read.ByIdReader;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadRouterBuilder;
import dev.dualwrite.read.ReadRouterConfig;
import dev.dualwrite.read.ReadStats;
import dev.dualwrite.read.ReadYourWrites;
import dev.dualwrite.read.ResultComparator;
import dev.dualwrite.read.UndeliveredWrites;
import dev.dualwrite.target.spi.TargetClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link ReadRouter} that {@link ReadRouterBuilder} builds. Deciding where a read goes reads the cached phase,
 * hashes the key, draws a sample and looks the key up in memory: no I/O (except the outbox query of
 * {@link ReadYourWrites#ALL_NODES}) and no allocation. Thread-safe.
 */
public final class DefaultReadRouter implements ReadRouter {
  /** Where one key's read goes. */
  enum Route {
    /** Legacy serves: the phase says so, or the key is not in the canary. */
    LEGACY,
    /** Legacy serves because the key may have undelivered writes; the read is not compared. */
    LEGACY_UNDELIVERED,
    /** The new service serves. */
    NEW
  }

  final String entity;
  final String resource;
  private final EntityMigration migration;
  private final Phases phases;
  private final long canarySeed;
  final TargetClient targetClient;
  private final UndeliveredWrites undeliveredWrites;
  private final Outbox outbox;
  private final ReadYourWrites readYourWrites;
  final boolean fallbackToLegacy;
  private final boolean testMode;
  final ReadRouterConfig config;
  final ReadEvents events;
  final Comparer comparer;
  final ShadowRunner shadows;

  /** Copies rows the new service lacks on touch; null when lazy migration is off. */
  final LazyMigration lazyMigration;

  public DefaultReadRouter(ReadRouterConfig config) {
    DualWrite dualWrite = config.dualWrite();
    this.config = config;
    this.migration = config.entity();
    this.entity = migration.name();
    this.resource = migration.resource();
    this.phases = dualWrite.phases();
    this.canarySeed = CanaryHash.seed(entity);
    NodeServices node = NodeServices.of(dualWrite);
    this.targetClient = config.targetClient() != null ? config.targetClient() : node.targetClient().orElse(null);
    this.undeliveredWrites = node.undeliveredWrites();
    this.readYourWrites = config.readYourWrites();
    this.outbox = readYourWrites == ReadYourWrites.ALL_NODES ? dualWrite.outbox() : null;
    this.fallbackToLegacy = config.fallbackToLegacy();
    this.testMode = config.testMode();
    this.events = new ReadEvents(entity, config.listeners(), node.shadowComparisons());
    this.comparer = new Comparer(config, events);
    this.lazyMigration = config.lazyMigration() == null ? null : new LazyMigration(entity, resource,
        config.lazyMigration(), node.capture().orElseThrow(() -> new IllegalStateException("lazy migration of '"
            + entity + "' queues copies in the outbox: configure DualWrite.withDataSource(...)")), dualWrite.outbox());
    this.shadows = new ShadowRunner(entity, config.shadowExecutor(), config.shadowTimeout(), testMode,
        ReadRouterBuilder.DEFAULT_SHADOW_THREADS, ReadRouterBuilder.DEFAULT_SHADOW_QUEUE, events);
  }


  @Override
  public String entity() {
    return entity;
  }

  @Override
  public <K, V> ByIdReader<K, V> byId(Class<V> newType, Function<? super K, ? extends V> legacyById) {
    return byIdReader(newType, legacyById, null);
  }

  @Override
  public <K, V> ByIdReader<K, V> byId(
      Class<V> newType,
      Function<? super K, ? extends V> legacyById,
      Function<? super List<K>, ? extends Map<K, ? extends V>> legacyByIds) {
    return byIdReader(newType, legacyById, Objects.requireNonNull(legacyByIds, "legacyByIds"));
  }

  private <K, V> ByIdReader<K, V> byIdReader(
      Class<V> newType,
      Function<? super K, ? extends V> legacyById,
      Function<? super List<K>, ? extends Map<K, ? extends V>> legacyByIds) {
    Objects.requireNonNull(newType, "newType");
    Objects.requireNonNull(legacyById, "legacyById");
    if (targetClient == null) {
      throw new IllegalStateException("by-id reads of entity '" + entity + "' need a client of the new service:"
          + " configure DualWrite.withTargetUrl(...) or ReadRouterBuilder.withTargetClient(...); or use"
          + " ReadRouter.read(key, legacy, newService) with your own new-service read");
    }
    return new DefaultByIdReader<>(this, newType, legacyById, legacyByIds);
  }

  @Override
  public <R> R read(Object key, Supplier<? extends R> legacy, Supplier<? extends R> newService) {
    return serve(keyOf(key), legacy, newService, null);
  }

  @Override
  public <R, L extends R, N extends R> R read(
      Object key, Supplier<L> legacy, Supplier<N> newService, ResultComparator<? super L, ? super N> comparator) {
    return serve(keyOf(key), legacy, newService, Objects.requireNonNull(comparator, "comparator"));
  }

  @Override
  public Store storeFor(Object key) {
    return route(state(), keyOf(key)) == Route.NEW ? Store.NEW : Store.LEGACY;
  }

  @Override
  public ReadStats stats() {
    return events.stats();
  }

  @Override
  public void close() {
    shadows.close();
  }

  /** Serves one key's read from the routed store and compares it when sampled. */
  @SuppressWarnings("unchecked")
  <R> R serve(String key, Supplier<? extends R> legacy, Supplier<? extends R> newService,
      ResultComparator<?, ?> comparator) {
    Objects.requireNonNull(legacy, "legacy");
    Objects.requireNonNull(newService, "newService");
    PhaseState state = state();
    MigrationPhase phase = state.phase();
    Route route = route(state, key);
    boolean compare = compares(phase, route, key);
    if (route == Route.NEW) {
      Observed served = Observed.of(newService);
      if (served.failed() && fallsBack(phase)) {
        events.fallback(key, served.failure);
        events.servedByLegacy(1);
        return legacy.get();
      }
      events.servedByNew(1);
      if (compare) {
        shadow(state, key, Store.NEW, served, legacy, comparator);
      }
      return (R) served.result();
    }
    events.servedByLegacy(1);
    if (route == Route.LEGACY_UNDELIVERED) {
      events.undeliveredWrite();
    }
    if (!compare) {
      return legacy.get();
    }
    Observed served = Observed.of(legacy);
    shadow(state, key, Store.LEGACY, served, newService, comparator);
    return (R) served.result();
  }

  @SuppressWarnings("unchecked")
  private void shadow(PhaseState state, String key, Store servedBy, Observed served, Supplier<?> otherSide,
      ResultComparator<?, ?> comparator) {
    if (!comparer.snapshotServed(state.phase(), key, served)) {
      return;
    }
    ResultComparator<Object, Object> typed = (ResultComparator<Object, Object>) comparator;
    shadows.run(List.of(key), () -> Observed.of(otherSide), other -> comparer.compare(state, key, servedBy,
        servedBy == Store.LEGACY ? served : other, servedBy == Store.LEGACY ? other : served, typed));
  }

  /** The cached phase state of the entity. */
  PhaseState state() {
    return phases.state(entity);
  }

  /** Where the read of {@code key} goes in {@code state}. */
  Route route(PhaseState state, String key) {
    MigrationPhase phase = state.phase();
    if (phase.canaryRouted()) {
      if (!CanaryHash.inCanary(canarySeed, key, canaryPercent(state))) {
        return Route.LEGACY;
      }
      return hasUndeliveredWrites(key) ? Route.LEGACY_UNDELIVERED : Route.NEW;
    }
    return phase.readSource() == Store.NEW ? Route.NEW : Route.LEGACY;
  }

  /**
   * Whether to compare this read: the phase compares, the read is sampled (always in test mode), and the key has no
   * write this node knows to be undelivered (the other store would differ only because it lags behind).
   */
  boolean compares(MigrationPhase phase, Route route, String key) {
    if (!phase.shadowCompared() || route == Route.LEGACY_UNDELIVERED || !(testMode || sampled())) {
      return false;
    }
    if (route == Route.LEGACY && readYourWrites != ReadYourWrites.OFF
        && undeliveredWrites.mayBeUndelivered(entity, key)) {
      events.undeliveredWrite();
      return false;
    }
    return true;
  }

  /** Whether a failed new-service read is served by legacy in {@code phase}. */
  boolean fallsBack(MigrationPhase phase) {
    return fallbackToLegacy && phase.canaryRouted();
  }

  private boolean sampled() {
    double rate = migration.shadowSampleRate();
    return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
  }

  private double canaryPercent(PhaseState state) {
    Double override = state.canaryPercent();
    return override != null ? override : migration.canaryPercent();
  }

  private boolean hasUndeliveredWrites(String key) {
    switch (readYourWrites) {
      case OFF:
        return false;
      case THIS_NODE:
        return undeliveredWrites.mayBeUndelivered(entity, key);
      default:
        if (undeliveredWrites.mayBeUndelivered(entity, key)) {
          return true;
        }
        try {
          return outbox.hasPending(entity, key);
        } catch (RuntimeException e) {
          events.error(key, "asking the outbox for undelivered writes (served by legacy meanwhile)", e);
          return true;
        }
    }
  }

  /** A key's string form: the id as it travels to the new service. */
  static String keyOf(Object key) {
    Objects.requireNonNull(key, "key");
    return key instanceof String s ? s : String.valueOf(key);
  }
}

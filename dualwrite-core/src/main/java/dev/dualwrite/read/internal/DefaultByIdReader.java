package dev.dualwrite.read.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Store;
import dev.dualwrite.read.ByIdReader;
import dev.dualwrite.read.internal.DefaultReadRouter.Route;
import dev.dualwrite.target.TargetDocument;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * By-id reads through a {@link DefaultReadRouter}: legacy through the user's functions, the new service through the
 * target client's {@code get} and {@code getMany}, its JSON mapped with the router's object mapper. Thread-safe.
 */
final class DefaultByIdReader<K, V> implements ByIdReader<K, V> {
  /** The most ids one {@code getMany} request carries (the protocol's limit). */
  static final int MAX_IDS_PER_REQUEST = 1000;

  private final DefaultReadRouter router;
  private final Class<V> type;
  private final Function<? super K, ? extends V> legacyById;
  private final Function<? super List<K>, ? extends Map<K, ? extends V>> legacyByIds;

  DefaultByIdReader(
      DefaultReadRouter router,
      Class<V> type,
      Function<? super K, ? extends V> legacyById,
      Function<? super List<K>, ? extends Map<K, ? extends V>> legacyByIds) {
    this.router = router;
    this.type = type;
    this.legacyById = legacyById;
    this.legacyByIds = legacyByIds;
  }

  @Override
  public Optional<V> get(K id) {
    String key = DefaultReadRouter.keyOf(id);
    V served = router.serve(key, () -> legacyById.apply(id), () -> fetch(key), null);
    if (served == null && router.lazyMigration != null) {
      return Optional.ofNullable(onTouch(id, key));
    }
    return Optional.ofNullable(served);
  }

  /**
   * Lazy migration: when the new service lacked a key it was asked for, from NEW_READS on, legacy's row is served and
   * queued for the new service.
   */
  private V onTouch(K id, String key) {
    PhaseState state = router.state();
    if (state.phase().ordinal() < MigrationPhase.NEW_READS.ordinal() || router.route(state, key) != Route.NEW) {
      return null;
    }
    V legacy = legacyById.apply(id);
    if (legacy != null && router.lazyMigration.copy(key)) {
      router.events.lazilyMigrated();
    }
    return legacy;
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> ids) {
    Objects.requireNonNull(ids, "ids");
    PhaseState state = router.state();
    MigrationPhase phase = state.phase();
    Map<String, K> idsByKey = new LinkedHashMap<>();
    List<K> fromNew = new ArrayList<>();
    List<K> fromLegacy = new ArrayList<>();
    List<K> comparedFromNew = new ArrayList<>();
    List<K> comparedFromLegacy = new ArrayList<>();
    for (K id : ids) {
      String key = DefaultReadRouter.keyOf(id);
      if (idsByKey.putIfAbsent(key, id) != null) {
        continue;
      }
      Route route = router.route(state, key);
      boolean compare = router.compares(phase, route, key);
      (route == Route.NEW ? fromNew : fromLegacy).add(id);
      if (compare) {
        (route == Route.NEW ? comparedFromNew : comparedFromLegacy).add(id);
      }
      if (route == Route.LEGACY_UNDELIVERED) {
        router.events.undeliveredWrite();
      }
    }
    Map<String, V> found = new HashMap<>();
    if (!fromNew.isEmpty()) {
      Observed served = Observed.of(() -> fetchAll(fromNew));
      if (served.failed() && router.fallsBack(phase)) {
        fromNew.forEach(id -> router.events.fallback(DefaultReadRouter.keyOf(id), served.failure));
        fromLegacy.addAll(fromNew);
      } else {
        router.events.servedByNew(fromNew.size());
        shadow(state, Store.NEW, served, comparedFromNew);
        found.putAll(values(served.result()));
      }
    }
    if (!fromLegacy.isEmpty()) {
      router.events.servedByLegacy(fromLegacy.size());
      Observed served = Observed.of(() -> readLegacy(fromLegacy));
      shadow(state, Store.LEGACY, served, comparedFromLegacy);
      found.putAll(values(served.result()));
    }
    Map<K, V> result = new LinkedHashMap<>();
    idsByKey.forEach((key, id) -> {
      V value = found.get(key);
      if (value != null) {
        result.put(id, value);
      }
    });
    return result;
  }

  /** Compares each of {@code ids} served in {@code served} against one read of them from the other store. */
  private void shadow(PhaseState state, Store servedBy, Observed served, List<K> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, V> servedValues = served.failed() ? Map.of() : values(served.value);
    Map<String, Observed> servedByKey = new LinkedHashMap<>();
    for (K id : ids) {
      String key = DefaultReadRouter.keyOf(id);
      Observed answer = served.part(servedValues.get(key));
      if (router.comparer.snapshotServed(state.phase(), key, answer)) {
        servedByKey.put(key, answer);
      }
    }
    if (servedByKey.isEmpty()) {
      return;
    }
    List<String> keys = List.copyOf(servedByKey.keySet());
    router.shadows.run(keys, () -> Observed.of(() -> servedBy == Store.NEW ? readLegacy(ids) : fetchAll(ids)),
        other -> {
          Map<String, V> otherValues = other.failed() ? Map.of() : values(other.value);
          servedByKey.forEach((key, answer) -> {
            Observed otherAnswer = other.part(otherValues.get(key));
            router.comparer.compare(state, key, servedBy, servedBy == Store.LEGACY ? answer : otherAnswer,
                servedBy == Store.LEGACY ? otherAnswer : answer, null);
          });
        });
  }

  /** One entity from the new service, or null. */
  private V fetch(String key) {
    return router.targetClient.get(router.resource, key).map(this::map).orElse(null);
  }

  /** Entities from the new service by key, {@value #MAX_IDS_PER_REQUEST} ids per request. */
  private Map<String, V> fetchAll(List<K> ids) {
    Map<String, V> values = new HashMap<>();
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_REQUEST) {
      List<String> keys = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_REQUEST)).stream()
          .map(DefaultReadRouter::keyOf).toList();
      for (TargetDocument document : router.targetClient.getMany(router.resource, keys)) {
        values.put(document.id(), map(document));
      }
    }
    return values;
  }

  /** Entities from legacy by key: one batch read when given, else one read per id. */
  private Map<String, V> readLegacy(List<K> ids) {
    Map<String, V> values = new HashMap<>();
    if (legacyByIds != null) {
      Map<K, ? extends V> read = Objects.requireNonNull(legacyByIds.apply(List.copyOf(ids)),
          () -> "the legacy read of many " + router.entity + " returned null; return an empty map when none exist");
      read.forEach((id, value) -> {
        if (id != null && value != null) {
          values.put(DefaultReadRouter.keyOf(id), value);
        }
      });
    } else {
      for (K id : ids) {
        V value = legacyById.apply(id);
        if (value != null) {
          values.put(DefaultReadRouter.keyOf(id), value);
        }
      }
    }
    return values;
  }

  private V map(TargetDocument document) {
    try {
      return router.config.objectMapper().treeToValue(document.data(), type);
    } catch (JsonProcessingException e) {
      throw new DualWriteException("cannot map " + router.entity + " " + document.id() + " from the new service to "
          + type.getName() + ": " + e.getOriginalMessage() + ". Give the ReadRouter an ObjectMapper that can"
          + " (withObjectMapper), or read into a DTO that matches the service's JSON.", e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, V> values(Object answer) {
    return (Map<String, V>) answer;
  }
}

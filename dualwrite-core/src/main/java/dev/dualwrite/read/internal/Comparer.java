package dev.dualwrite.read.internal;

import dev.dualwrite.snapshot.Difference;
import dev.dualwrite.snapshot.internal.JsonSnapshots;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.Store;
import dev.dualwrite.read.ComparedRead;
import dev.dualwrite.read.IgnoreRule;
import dev.dualwrite.read.Mismatch;
import dev.dualwrite.read.Observation;
import dev.dualwrite.read.ReadMismatchException;
import dev.dualwrite.read.ReadRouterConfig;
import dev.dualwrite.read.ResultComparator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Compares the two stores' answers to one read as {@link dev.dualwrite.read.ReadRouterBuilder} describes, and reports
 * the outcome through {@link ReadEvents}. Nothing it does reaches the caller, except in test mode, where a mismatch or
 * a failed comparison throws {@link ReadMismatchException}. Thread-safe.
 */
final class Comparer {
  private final String entity;
  private final ObjectMapper mapper;
  private final Set<String> sensitiveFields;
  private final List<String> ignoredFields;
  private final List<UnaryOperator<JsonNode>> normalisers;
  private final List<IgnoreRule> ignoreRules;
  private final List<UnaryOperator<JsonNode>> reportCleaners;
  private final boolean testMode;
  private final ReadEvents events;

  Comparer(ReadRouterConfig config, ReadEvents events) {
    this.entity = config.entity().name();
    this.mapper = config.objectMapper();
    this.sensitiveFields = config.entity().sensitiveFields();
    this.ignoredFields = config.ignoredFields();
    this.normalisers = config.normalisers();
    this.ignoreRules = config.ignoreRules();
    this.reportCleaners = config.reportCleaners();
    this.testMode = config.testMode();
    this.events = events;
  }

  /**
   * Takes the snapshot of a served answer now, on the caller's thread, before the caller can change the value or
   * close the session it was read in.
   *
   * @return false when that failed (counted): then the read is not compared
   */
  boolean snapshotServed(MigrationPhase phase, String key, Observed served) {
    if (served.failed()) {
      return true;
    }
    try {
      served.snapshot = JsonSnapshots.of(mapper, served.value);
      return true;
    } catch (RuntimeException e) {
      failed(phase, key, "taking the snapshot of the served answer", e);
      return false;
    }
  }

  /** Compares one read's two answers and reports the outcome. */
  void compare(PhaseState state, String key, Store servedBy, Observed legacy, Observed newService,
      ResultComparator<Object, Object> comparator) {
    MigrationPhase phase = state.phase();
    ComparedRead read = new ComparedRead(entity, phase, key, servedBy, Duration.ofNanos(legacy.nanos),
        Duration.ofNanos(newService.nanos));
    Mismatch mismatch;
    try {
      Observation legacyAnswer = observation(Store.LEGACY, legacy, read.legacyLatency());
      Observation newAnswer = observation(Store.NEW, newService, read.newLatency());
      for (IgnoreRule rule : ignoreRules) {
        if (rule.ignores(key, legacyAnswer, newAnswer)) {
          events.ignored(read);
          return;
        }
      }
      if (same(legacyAnswer, newAnswer, comparator)) {
        events.matched(read, state.revision());
        return;
      }
      mismatch = report(read, legacyAnswer, newAnswer);
    } catch (RuntimeException e) {
      failed(phase, key, "comparing the answers", e);
      return;
    }
    events.mismatched(mismatch, state.revision());
    if (testMode) {
      throw new ReadMismatchException(mismatch);
    }
  }

  private void failed(MigrationPhase phase, String key, String what, RuntimeException e) {
    events.error(key, what, e);
    if (testMode) {
      throw new ReadMismatchException(what + " of a read of " + entity + " " + key + " in " + phase + " failed: "
          + e + ". Fix the object mapper, normaliser, ignore rule, comparator or report cleaner that threw.", e);
    }
  }

  private Observation observation(Store store, Observed observed, Duration latency) {
    JsonNode snapshot = null;
    if (!observed.failed()) {
      snapshot = normalise(observed.snapshot != null ? observed.snapshot : JsonSnapshots.of(mapper, observed.value));
    }
    return new Observation(store, observed.value, observed.failure, snapshot, latency);
  }

  private JsonNode normalise(JsonNode snapshot) {
    JsonNode normalised = JsonSnapshots.dropNullFields(snapshot);
    for (String field : ignoredFields) {
      JsonSnapshots.remove(normalised, field);
    }
    for (UnaryOperator<JsonNode> normaliser : normalisers) {
      normalised = require(normaliser.apply(normalised), "a normaliser");
    }
    return normalised;
  }

  private static boolean same(Observation legacy, Observation newService, ResultComparator<Object, Object> comparator) {
    if (legacy.failed() || newService.failed()) {
      return legacy.failed() && newService.failed() && legacy.failure().getClass() == newService.failure().getClass();
    }
    return comparator != null
        ? comparator.same(legacy.value(), newService.value())
        : JsonSnapshots.equivalent(legacy.snapshot(), newService.snapshot());
  }

  private Mismatch report(ComparedRead read, Observation legacy, Observation newService) {
    JsonNode legacyCleaned = legacy.failed() ? null : clean(legacy.snapshot());
    JsonNode newCleaned = newService.failed() ? null : clean(newService.snapshot());
    List<Difference> differences = new ArrayList<>();
    if (legacyCleaned != null && newCleaned != null) {
      for (String path
          : JsonSnapshots.differences(legacy.snapshot(), newService.snapshot(), Mismatch.MAX_DIFFERENCES)) {
        differences.add(new Difference(path,
            JsonSnapshots.rendered(JsonSnapshots.reported(legacy.snapshot(), legacyCleaned, path)),
            JsonSnapshots.rendered(JsonSnapshots.reported(newService.snapshot(), newCleaned, path))));
      }
    }
    Set<String> secrets = new HashSet<>();
    if (!sensitiveFields.isEmpty()) {
      for (Observation answer : List.of(legacy, newService)) {
        if (!answer.failed()) {
          JsonSnapshots.sensitiveValues(answer.snapshot(), sensitiveFields, secrets);
        }
      }
    }
    return new Mismatch(read, answer(legacyCleaned, legacy, secrets), answer(newCleaned, newService, secrets),
        differences);
  }

  /** A copy of {@code snapshot} with sensitive fields masked and the report cleaners applied. */
  private JsonNode clean(JsonNode snapshot) {
    JsonNode cleaned = JsonSnapshots.mask(snapshot.deepCopy(), sensitiveFields);
    for (UnaryOperator<JsonNode> cleaner : reportCleaners) {
      cleaned = require(cleaner.apply(cleaned), "a report cleaner");
    }
    return cleaned;
  }

  private static Mismatch.Answer answer(JsonNode cleaned, Observation observation, Set<String> secrets) {
    if (!observation.failed()) {
      return new Mismatch.Answer(cleaned, null);
    }
    Throwable thrown = observation.failure();
    String failure = thrown.getClass().getSimpleName()
        + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage());
    for (String secret : secrets) {
      failure = failure.replace(secret, "***");
    }
    return new Mismatch.Answer(null, failure);
  }

  private static JsonNode require(JsonNode node, String what) {
    if (node == null) {
      throw new IllegalStateException(what + " returned null; return the (changed) snapshot instead");
    }
    return node;
  }
}

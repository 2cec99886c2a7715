package dev.dualwrite.read;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * A {@link ReadRouter}'s settings as built by {@link ReadRouterBuilder}; see there for what each means. Immutable
 * (its lists never change) and thread-safe.
 */
public final class ReadRouterConfig {
  private final DualWrite dualWrite;
  private final EntityMigration entity;
  private final TargetClient targetClient;
  private final ObjectMapper objectMapper;
  private final Executor shadowExecutor;
  private final Duration shadowTimeout;
  private final ReadYourWrites readYourWrites;
  private final boolean fallbackToLegacy;
  private final boolean testMode;
  private final List<String> ignoredFields;
  private final List<UnaryOperator<JsonNode>> normalisers;
  private final List<IgnoreRule> ignoreRules;
  private final List<UnaryOperator<JsonNode>> reportCleaners;
  private final List<ReadListener> listeners;
  private final LegacySource lazyMigration;

  ReadRouterConfig(ReadRouterBuilder builder) {
    this.dualWrite = builder.dualWrite;
    this.entity = builder.dualWrite.entity(builder.entity);
    this.targetClient = builder.targetClient;
    this.objectMapper = builder.objectMapper != null ? builder.objectMapper
        : new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.shadowExecutor = builder.shadowExecutor;
    this.shadowTimeout = builder.shadowTimeout;
    this.readYourWrites = builder.readYourWrites;
    this.fallbackToLegacy = builder.fallbackToLegacy;
    this.testMode = builder.testMode;
    this.ignoredFields = List.copyOf(builder.ignoredFields);
    this.normalisers = List.copyOf(builder.normalisers);
    this.ignoreRules = List.copyOf(builder.ignoreRules);
    this.reportCleaners = List.copyOf(builder.reportCleaners);
    this.listeners = List.copyOf(builder.listeners);
    this.lazyMigration = builder.lazyMigration;
  }

  /** The legacy rows that lazy migration copies from; null when it is off. */
  public LegacySource lazyMigration() {
    return lazyMigration;
  }

  /** The node the router reads for: phases, the target client, undelivered writes and the outbox. */
  public DualWrite dualWrite() {
    return dualWrite;
  }

  /** The entity's configuration: canary percentage, shadow sample rate, sensitive fields. */
  public EntityMigration entity() {
    return entity;
  }

  /** The client given for reads, or null to use the node's. */
  public TargetClient targetClient() {
    return targetClient;
  }

  /** The mapper for the new service's JSON and for snapshots. */
  public ObjectMapper objectMapper() {
    return objectMapper;
  }

  /** The executor given for shadow reads, or null for the router's own. */
  public Executor shadowExecutor() {
    return shadowExecutor;
  }

  /** How long a comparison waits for its shadow read. */
  public Duration shadowTimeout() {
    return shadowTimeout;
  }

  /** How {@code NEW_READS} keeps undelivered writes readable. */
  public ReadYourWrites readYourWrites() {
    return readYourWrites;
  }

  /** Whether a failed canary read falls back to legacy in {@code NEW_READS}. */
  public boolean fallbackToLegacy() {
    return fallbackToLegacy;
  }

  /** Whether every read is compared on the caller's thread and a mismatch throws. */
  public boolean testMode() {
    return testMode;
  }

  /** Fields left out of comparisons: names or JSON Pointers. */
  public List<String> ignoredFields() {
    return ignoredFields;
  }

  /** Snapshot normalisers, in order. */
  public List<UnaryOperator<JsonNode>> normalisers() {
    return normalisers;
  }

  /** Ignore rules, in order. */
  public List<IgnoreRule> ignoreRules() {
    return ignoreRules;
  }

  /** Report cleaners, in order. */
  public List<UnaryOperator<JsonNode>> reportCleaners() {
    return reportCleaners;
  }

  /** Listeners, in order. */
  public List<ReadListener> listeners() {
    return listeners;
  }
}

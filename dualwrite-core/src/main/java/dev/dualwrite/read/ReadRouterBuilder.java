package dev.dualwrite.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.internal.Settings;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.read.internal.DefaultReadRouter;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Builds a {@link ReadRouter}. Settings are checked in {@link #build()}, which names the setting, its value and what
 * is allowed; {@code withX} methods that add to a list check their argument at once. Not thread-safe; the router is.
 *
 * <p>How two answers are compared: each is turned into a JSON snapshot with the object mapper (a {@code JsonNode}
 * answer is taken as it is); fields whose value is null are dropped, then the ignored fields, then the normalisers run
 * in the order added. {@link IgnoreRule}s see both observations; if none ignores them, the snapshots are equal when
 * they hold the same fields with the same values, numbers compared by value ({@code 1} equals {@code 1.0}). A
 * {@link ResultComparator} given to {@link ReadRouter#read(Object, java.util.function.Supplier,
 * java.util.function.Supplier, ResultComparator)} replaces that last test. A mismatch report carries the snapshots
 * with the entity's sensitive fields (at any depth) replaced by {@code "***"} and the report cleaners applied.
 */
public final class ReadRouterBuilder {
  /** Default bound on one shadow read. */
  public static final Duration DEFAULT_SHADOW_TIMEOUT = Duration.ofSeconds(2);
  /** Threads of the router's own shadow executor. */
  public static final int DEFAULT_SHADOW_THREADS = 2;
  /** Shadow reads the router's own executor holds waiting; more are dropped. */
  public static final int DEFAULT_SHADOW_QUEUE = 64;

  final DualWrite dualWrite;
  final String entity;
  TargetClient targetClient;
  ObjectMapper objectMapper;
  Executor shadowExecutor;
  Duration shadowTimeout = DEFAULT_SHADOW_TIMEOUT;
  ReadYourWrites readYourWrites = ReadYourWrites.THIS_NODE;
  boolean fallbackToLegacy = true;
  boolean testMode;
  final List<String> ignoredFields = new ArrayList<>();
  final List<UnaryOperator<JsonNode>> normalisers = new ArrayList<>();
  final List<IgnoreRule> ignoreRules = new ArrayList<>();
  final List<UnaryOperator<JsonNode>> reportCleaners = new ArrayList<>();
  final List<ReadListener> listeners = new ArrayList<>();
  LegacySource lazyMigration;

  ReadRouterBuilder(DualWrite dualWrite, String entity) {
    this.dualWrite = dualWrite;
    this.entity = entity;
  }

  /**
   * The client for the new service's side of by-id reads; the node's
   * ({@link dev.dualwrite.DualWriteBuilder#withTargetUrl}) unless set, e.g. a client with shorter timeouts for reads
   * than for deliveries. The router does not close it.
   */
  public ReadRouterBuilder withTargetClient(TargetClient targetClient) {
    this.targetClient = targetClient;
    return this;
  }

  /**
   * The Jackson mapper that maps the new service's JSON to by-id results and turns answers into snapshots. Default: a
   * plain {@code ObjectMapper} that ignores unknown properties. Give one with your modules (e.g. Java time) when your
   * entities need them.
   */
  public ReadRouterBuilder withObjectMapper(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
    return this;
  }

  /**
   * Where shadow reads and comparisons run. It must be bounded and say it is full by throwing
   * {@link java.util.concurrent.RejectedExecutionException} (a {@code ThreadPoolExecutor} with a bounded queue and
   * the default {@code AbortPolicy}); a full executor drops the shadow read and counts it. The router does not shut it
   * down. Default: the router's own, {@value #DEFAULT_SHADOW_THREADS} daemon threads and room for
   * {@value #DEFAULT_SHADOW_QUEUE} waiting reads.
   */
  public ReadRouterBuilder withShadowExecutor(Executor executor) {
    this.shadowExecutor = executor;
    return this;
  }

  /**
   * How long the comparison waits for one shadow read; then the other side counts as failed with a
   * {@link java.util.concurrent.TimeoutException}. The read itself is not interrupted (that can break pooled JDBC and
   * HTTP connections): it keeps its executor thread until it returns, so give its client a timeout too. Default
   * 2 s; more than 0 and at most 10 minutes.
   */
  public ReadRouterBuilder withShadowTimeout(Duration timeout) {
    this.shadowTimeout = timeout;
    return this;
  }

  /** How {@code NEW_READS} keeps undelivered writes readable; {@link ReadYourWrites#THIS_NODE} unless set. */
  public ReadRouterBuilder withReadYourWrites(ReadYourWrites readYourWrites) {
    this.readYourWrites = readYourWrites;
    return this;
  }

  /**
   * Whether a canary read in {@code NEW_READS} whose new-service read throws (an error status, a timeout, a mapping
   * failure) is served by legacy instead (default true), counted and told to listeners. When false the exception
   * reaches the caller. In {@code NEW_WRITES} and {@code NEW_ONLY} there is never a fallback: legacy is no longer
   * authoritative.
   */
  public ReadRouterBuilder withFallbackToLegacy(boolean fallback) {
    this.fallbackToLegacy = fallback;
    return this;
  }

  /**
   * Fields left out of the comparison and of reports: top-level names ({@code updatedAt}) or JSON Pointers
   * ({@code /address/geo}).
   *
   * @throws IllegalArgumentException for a null or blank field
   */
  public ReadRouterBuilder withIgnoredFields(String... fields) {
    for (String field : fields) {
      if (field == null || field.isBlank()) {
        throw new IllegalArgumentException("ignoredFields of entity '" + entity + "' has "
            + (field == null ? "null" : "'" + field + "'") + "; allowed: a field name or a JSON Pointer (/a/b)");
      }
      ignoredFields.add(field);
    }
    return this;
  }

  /**
   * Adds a normaliser: it gets each snapshot (after null fields and ignored fields are dropped), may change it in
   * place, and returns the snapshot to compare, e.g. lower-casing emails or rounding timestamps. Must be thread-safe.
   *
   * @throws IllegalArgumentException when null
   */
  public ReadRouterBuilder withNormaliser(UnaryOperator<JsonNode> normaliser) {
    normalisers.add(require(normaliser, "normaliser"));
    return this;
  }

  /**
   * Adds a rule that sets known, accepted differences aside as ignored.
   *
   * @throws IllegalArgumentException when null
   */
  public ReadRouterBuilder withIgnoreRule(IgnoreRule rule) {
    ignoreRules.add(require(rule, "ignore rule"));
    return this;
  }

  /**
   * Adds a cleaner for mismatch reports: it gets a copy of each reported snapshot (sensitive fields already masked)
   * and returns what may be reported, e.g. with more personal data removed. A value it removes is reported as
   * {@code "***"} in differences. Must be thread-safe.
   *
   * @throws IllegalArgumentException when null
   */
  public ReadRouterBuilder withReportCleaner(UnaryOperator<JsonNode> cleaner) {
    reportCleaners.add(require(cleaner, "report cleaner"));
    return this;
  }

  /**
   * Adds a listener for comparisons, drops, fallbacks and errors.
   *
   * @throws IllegalArgumentException when null
   */
  public ReadRouterBuilder onReadEvent(ReadListener listener) {
    listeners.add(require(listener, "read listener"));
    return this;
  }

  /**
   * Lazy migration on touch: from {@code NEW_READS} on, a by-id read ({@link ByIdReader}) of a key the new service
   * does not hold but legacy does is served from legacy, and the row's snapshot, read from {@code legacyRows} as the
   * backfill reads it, is queued for the new service through the outbox (so the version rule protects it), counted
   * in {@link ReadStats#lazilyMigrated()}. An addition to the backfill, not a replacement: the gates still ask for a
   * finished backfill. Off by default.
   */
  public ReadRouterBuilder withLazyMigration(LegacySource legacyRows) {
    this.lazyMigration = require(legacyRows, "legacy source for lazy migration");
    return this;
  }

  /**
   * For your own tests: every read in a comparing phase is compared (sample rate 1), on the caller's thread, and a
   * mismatch (or a comparison that fails) throws {@link ReadMismatchException} to the caller. Never in production.
   */
  public ReadRouterBuilder withTestMode(boolean testMode) {
    this.testMode = testMode;
    return this;
  }

  /**
   * Checks the settings and builds the router.
   *
   * @throws IllegalArgumentException naming the setting at fault, its value and what is allowed
   */
  public ReadRouter build() {
    if (dualWrite == null) {
      throw new IllegalArgumentException("dualWrite is null; pass the node's DualWrite to ReadRouter.builder(...)");
    }
    dualWrite.entity(entity);
    if (shadowTimeout == null || shadowTimeout.isNegative() || shadowTimeout.isZero()
        || shadowTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw invalid("shadowTimeout", String.valueOf(shadowTimeout), "more than 0 and at most 10 minutes (PT10M)");
    }
    if (readYourWrites == null) {
      throw invalid("readYourWrites", "null", "OFF, THIS_NODE or ALL_NODES");
    }
    if (readYourWrites == ReadYourWrites.ALL_NODES && NodeServices.of(dualWrite).capture().isEmpty()) {
        throw invalid("readYourWrites", "ALL_NODES",
            "THIS_NODE or OFF on a node without a data source; ALL_NODES asks the outbox, so configure"
                + " DualWrite.withDataSource(...)");
    }
    return new DefaultReadRouter(new ReadRouterConfig(this));
  }

  private <T> T require(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " of entity '" + entity + "' is null");
    }
    return value;
  }

  private IllegalArgumentException invalid(String field, String value, String allowed) {
    return Settings.invalid(field + " of the read router for entity '" + entity + "'", value, allowed);
  }
}

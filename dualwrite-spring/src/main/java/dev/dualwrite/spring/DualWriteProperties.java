package dev.dualwrite.spring;

import dev.dualwrite.hibernate.BulkWritePolicy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * dualwrite's Spring Boot settings, under {@code dualwrite}. Bound once at startup through the constructor; immutable
 * and thread-safe. Each value is checked by the dualwrite builder it feeds, and a refused value fails startup naming
 * its property (see {@code docs/configuration.md}).
 *
 * <p>Entities do not need to be listed: every {@code @Mirrored} entity that Spring Boot's JPA auto-configuration scans
 * is configured with the defaults of {@link Entity}. List an entity under {@code dualwrite.entities.<name>} to change
 * them. Phases are not configured here: they live in the phase store and are moved by tech leads (Actuator endpoint,
 * CLI or {@code DualWrite.phases()}); a new entity starts in {@code LEGACY_ONLY}.
 *
 * @param enabled Whether dualwrite is on. With false no dualwrite bean is created and the Hibernate integrator
 *     stands down (Hibernate setting dualwrite.enabled=false), so nothing is mirrored. Default true.
 * @param target The new service that changes are mirrored to. Without a URL this node appends to the outbox but does
 *     not deliver it.
 * @param phaseStaleness The bound on how old this node's view of a phase may be: another node's phase move is seen
 *     within it. From 10 ms to 1 hour. Default 1 s.
 * @param schema dualwrite's own tables.
 * @param bulkWrites What happens to a bulk JPQL/HQL or native write to a mirrored entity's table while it is mirrored:
 *     reject (refuse the statement) or warn (let it run and log a warning). Default reject.
 * @param relay How this node delivers the outbox to the new service.
 * @param entities Per-entity settings, by the entity's migration name (the value of its @Mirrored). Default:
 *     none, every mirrored entity with the defaults.
 * @param gates The checks forward phase moves must pass.
 * @param endpoint The dualwrite Actuator endpoint.
 * @param health The dualwrite health contributor.
 */
@ConfigurationProperties("dualwrite")
public record DualWriteProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue Target target,
    @DefaultValue("1s") Duration phaseStaleness,
    @DefaultValue Schema schema,
    @DefaultValue("reject") BulkWritePolicy bulkWrites,
    @DefaultValue Relay relay,
    Map<String, Entity> entities,
    @DefaultValue Gates gates,
    @DefaultValue Endpoint endpoint,
    @DefaultValue Health health) {

  /** Keeps the entities in the order they were configured. */
  public DualWriteProperties {
    entities = entities == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(entities));
  }

  /**
   * The new service.
   *
   * @param url The new service's mirror-protocol base URL, e.g. http://user-service:8081/mirror. Default:
   *     none, and this node does not deliver.
   * @param bearerToken A token sent in an "Authorization: Bearer" header on every request. Never logged. Default:
   *     none.
   * @param connectTimeout How long to wait for a connection; more than 0 and at most 10 minutes. Default 2 s.
   * @param callTimeout How long one whole call may take, from connecting to reading the answer; more than 0 and at
   *     most 10 minutes. Keep it below dualwrite.relay.lease. Default 10 s.
   */
  public record Target(
      String url,
      String bearerToken,
      @DefaultValue("2s") Duration connectTimeout,
      @DefaultValue("10s") Duration callTimeout) {

    /** Leaves the token out, so that logging the settings never shows it. */
    @Override
    public String toString() {
      return "Target[url=" + url + ", bearerToken=" + (bearerToken == null ? "none" : "(set)")
          + ", connectTimeout=" + connectTimeout + ", callTimeout=" + callTimeout + "]";
    }
  }

  /**
   * dualwrite's tables.
   *
   * @param autoCreate Whether to create dualwrite's tables at startup when they are missing. For demos and tests; in
   *     production apply the migrations db/migration/dualwrite/{database} of dualwrite-core with Flyway or Liquibase.
   *     Default false.
   */
  public record Schema(@DefaultValue("false") boolean autoCreate) {}

  /**
   * This node's relay.
   *
   * @param enabled Whether this node delivers the outbox. A node that only serves operators may switch it off; it
   *     still appends its own changes. Default true.
   * @param batchSize The most changes per claim and per request, 1 to 1000. Default 500.
   * @param concurrency Delivery loops on this node, 1 to 16; a commit wakes one when none is delivering, a full claim
   *     wakes another. Default 2.
   * @param pollInterval How often an idle relay looks for due changes (retries, other nodes' commits), from 10 ms to
   *     1 minute; this node's commits wake it at once. Default 500 ms.
   * @param lease How long claimed changes stay reserved for this node, from 100 ms to 1 hour; longer than a delivery
   *     takes. Default 30 s.
   * @param deliveredRetention How long delivered changes are kept in the outbox before they are purged, from 0
   *     (deleted on delivery; the {@code dev.dualwrite.relay.delivered} logger names them at DEBUG) to 30 days.
   *     Default 0.
   */
  public record Relay(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("500") int batchSize,
      @DefaultValue("2") int concurrency,
      @DefaultValue("500ms") Duration pollInterval,
      @DefaultValue("30s") Duration lease,
      @DefaultValue("0s") Duration deliveredRetention) {}

  /**
   * The phase gates (see docs/tech-lead-playbook.md). Custom gates are PhaseGate beans.
   *
   * @param builtIn Whether the built-in gates apply: backfill finished and verification clean into SHADOW_READS,
   *     shadow mismatch rate and backlog into NEW_READS, canary complete, dead letters and backlog into NEW_WRITES,
   *     soak time into NEW_ONLY. Default true.
   * @param maxVerificationDifferences Missing, extra or different rows the last verification may have found, 0 or
   *     more. Default 0.
   * @param maxShadowMismatchRate The highest share of shadow comparisons, 0 to 1, that may mismatch for a move into
   *     NEW_READS. Default 0.01.
   * @param minShadowComparisons How many shadow comparisons, all nodes together, the mismatch rate must rest on.
   *     Default 100.
   * @param maxBacklog Undelivered changes tolerated by moves into NEW_READS and NEW_WRITES, 0 or more. Default 1000.
   * @param minNewWritesSoak Time in NEW_WRITES before NEW_ONLY. Default 1 day.
   */
  public record Gates(
      @DefaultValue("true") boolean builtIn,
      @DefaultValue("0") long maxVerificationDifferences,
      @DefaultValue("0.01") double maxShadowMismatchRate,
      @DefaultValue("100") long minShadowComparisons,
      @DefaultValue("1000") long maxBacklog,
      @DefaultValue("1d") Duration minNewWritesSoak) {}

  /**
   * One entity's migration settings.
   *
   * @param resource The new service's resource path segment the entity is mirrored to (/v1/{resource}/{id}):
   *     letters, digits and . _ ~ -. Default: the entity's name.
   * @param canaryPercent The share of keys, 0 to 100, that NEW_READS serves from the new service, until a
   *     tech lead overrides it at run time. Default 0.
   * @param shadowSampleRate The share of reads, 0 to 1, compared against the other store in the phases that compare.
   *     Default 0.1.
   * @param sensitiveFields Snapshot fields whose values never appear in logs, dead letters or mismatch reports (they
   *     are still sent to the new service). Default: none.
   * @param retry How deliveries of this entity are retried before the change is dead-lettered.
   * @param reverseSyncInNewOnly Whether the new service's changes go on being synced back into legacy in NEW_ONLY, to
   *     keep a legacy copy (for reports); otherwise the reverse sync stops there. Default false.
   */
  public record Entity(
      String resource,
      @DefaultValue("0") double canaryPercent,
      @DefaultValue("0.1") double shadowSampleRate,
      @DefaultValue List<String> sensitiveFields,
      @DefaultValue Retry retry,
      @DefaultValue("false") boolean reverseSyncInNewOnly) {

    /** Every setting at its default. */
    public static Entity defaults() {
      return new Entity(null, 0, 0.1, List.of(), Retry.defaults(), false);
    }

    /** Copies the field list. */
    public Entity {
      sensitiveFields = sensitiveFields == null ? List.of() : List.copyOf(sensitiveFields);
    }
  }

  /**
   * Delivery retries: exponential backoff from {@code delay} to {@code maxDelay} with 20 % jitter; after
   * {@code maxAttempts} attempts the change becomes a dead letter.
   *
   * @param maxAttempts Attempts in all, including the first; at least 1. Default 10.
   * @param delay The wait after the first failed attempt; more than 0. Default 100 ms.
   * @param maxDelay The longest wait between attempts; at least delay (equal means a fixed delay). Default 30 s.
   */
  public record Retry(
      @DefaultValue("10") int maxAttempts,
      @DefaultValue("100ms") Duration delay,
      @DefaultValue("30s") Duration maxDelay) {

    /** Every setting at its default. */
    public static Retry defaults() {
      return new Retry(10, Duration.ofMillis(100), Duration.ofSeconds(30));
    }
  }

  /**
   * The {@code dualwrite} Actuator endpoint.
   *
   * @param writeOperationsEnabled Whether the endpoint's write operations (move a phase, set the canary, start a
   *     backfill or verification, retry or discard dead letters) may be used. They also need the endpoint to be
   *     exposed and the caller to pass the application's security. Default false: the endpoint only reads.
   * @param trendInterval How often the endpoint samples every entity's backlog, lag, dead letters and mismatch rate
   *     for the last hour's trend. Default 30s.
   */
  public record Endpoint(
      @DefaultValue("false") boolean writeOperationsEnabled, @DefaultValue("30s") Duration trendInterval) {}

  /**
   * The {@code dualwrite} health contributor.
   *
   * @param maxBacklogAge How old the oldest undelivered change of an entity may get before the contributor reports
   *     OUT_OF_SERVICE. Default 5m.
   */
  public record Health(@DefaultValue("5m") Duration maxBacklogAge) {}
}

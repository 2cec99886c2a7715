package dev.dualwrite;

import dev.dualwrite.guard.RollbackGuard;
import dev.dualwrite.phase.MigrationPhase;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How one entity migrates: its name (what tech leads move between phases), the new service's resource it is mirrored
 * to, the canary share of reads in {@link dev.dualwrite.phase.MigrationPhase#NEW_READS}, the shadow-read sample rate
 * and the delivery retry policy. Immutable and thread-safe; build one with {@link #builder(String)}.
 */
public final class EntityMigration {
  /** Default delivery retries: exponential backoff from 100 ms to 30 s with 20 % jitter, 10 attempts in all. */
  public static final RetryPolicy<Object> DEFAULT_RETRY_POLICY =
      RetryPolicy.builder()
          .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(30))
          .withJitter(0.2)
          .withMaxAttempts(10)
          .build();

  private final String name;
  private final String resource;
  private final double canaryPercent;
  private final double shadowSampleRate;
  private final RetryPolicy<Object> retryPolicy;
  private final Set<String> sensitiveFields;
  private final RollbackGuard rollbackGuard;
  private final boolean reverseSyncInNewOnly;

  EntityMigration(EntityMigrationBuilder builder) {
    this.name = builder.name;
    this.resource = builder.resource != null ? builder.resource : builder.name;
    this.canaryPercent = builder.canaryPercent;
    this.shadowSampleRate = builder.shadowSampleRate;
    this.retryPolicy = builder.retryPolicy;
    this.sensitiveFields = Set.copyOf(builder.sensitiveFields);
    this.rollbackGuard = builder.rollbackGuard;
    this.reverseSyncInNewOnly = builder.reverseSyncInNewOnly;
  }

  /** Starts the configuration of the entity called {@code name}; see {@link EntityMigrationBuilder} for the rules. */
  public static EntityMigrationBuilder builder(String name) {
    return new EntityMigrationBuilder(name);
  }

  /** The entity's name, as tech leads and the phase store know it, e.g. {@code users}. */
  public String name() {
    return name;
  }

  /** The new service's resource path segment the entity is mirrored to; the name unless set. */
  public String resource() {
    return resource;
  }

  /** The configured share of keys, 0 to 100, that {@code NEW_READS} serves from the new service. */
  public double canaryPercent() {
    return canaryPercent;
  }

  /** The share of reads, 0 to 1, compared against the other store in the phases that compare. */
  public double shadowSampleRate() {
    return shadowSampleRate;
  }

  /** How deliveries to the new service are retried; after {@code maxAttempts} a change is dead-lettered. */
  public RetryPolicy<Object> retryPolicy() {
    return retryPolicy;
  }

  /**
   * The payload fields whose values must never appear in logs, dead letters or mismatch reports (they are still sent
   * to the new service).
   */
  public Set<String> sensitiveFields() {
    return sensitiveFields;
  }

  /**
   * Whether the reverse sync goes on in {@code NEW_ONLY}, keeping a legacy copy of the new service's data (for
   * reports, say); otherwise it stops when the entity enters NEW_ONLY. Default false.
   */
  public boolean reverseSyncInNewOnly() {
    return reverseSyncInNewOnly;
  }

  /** Whether the new service's changes are synced back into legacy in {@code phase}. */
  public boolean reverseSyncs(MigrationPhase phase) {
    return phase.reverseSyncs() || phase == MigrationPhase.NEW_ONLY && reverseSyncInNewOnly;
  }

  /** The entity's automated rollback, if it has one. */
  public Optional<RollbackGuard> rollbackGuard() {
    return Optional.ofNullable(rollbackGuard);
  }

  @Override
  public String toString() {
    return "EntityMigration[" + name + " -> /" + resource + ", canary " + canaryPercent + " %, shadow sample "
        + shadowSampleRate + ", max attempts " + retryPolicy.getConfig().getMaxAttempts() + "]";
  }
}

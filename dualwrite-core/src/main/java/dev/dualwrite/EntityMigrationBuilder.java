package dev.dualwrite;

import dev.dualwrite.guard.RollbackGuard;
import dev.dualwrite.internal.Settings;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds an {@link EntityMigration}. Settings are checked in {@link #build()}, which names the field, the value and
 * what is allowed. Not thread-safe; the built configuration is.
 */
public final class EntityMigrationBuilder {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$-]{0,199}");
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,199}");
  /** The retry policy's listeners, by the builder method that sets them; the relay calls none of them. */
  private static final List<Map.Entry<String, Function<RetryPolicyConfig<Object>, Object>>> RETRY_LISTENERS = List.of(
      Map.entry("onAbort", RetryPolicyConfig::getAbortListener),
      Map.entry("onFailedAttempt", RetryPolicyConfig::getFailedAttemptListener),
      Map.entry("onRetriesExceeded", RetryPolicyConfig::getRetriesExceededListener),
      Map.entry("onRetry", RetryPolicyConfig::getRetryListener),
      Map.entry("onRetryScheduled", RetryPolicyConfig::getRetryScheduledListener),
      Map.entry("onFailure", RetryPolicyConfig::getFailureListener),
      Map.entry("onSuccess", RetryPolicyConfig::getSuccessListener));

  final String name;
  String resource;
  double canaryPercent = 0;
  double shadowSampleRate = 0.1;
  RetryPolicy<Object> retryPolicy = EntityMigration.DEFAULT_RETRY_POLICY;
  final Set<String> sensitiveFields = new LinkedHashSet<>();
  RollbackGuard rollbackGuard;
  boolean reverseSyncInNewOnly;

  EntityMigrationBuilder(String name) {
    this.name = name;
  }

  /**
   * The new service's resource path segment, e.g. {@code users} for {@code /v1/users/{id}}; defaults to the name.
   * Letters, digits and {@code . _ ~ -}, starting with a letter or digit.
   */
  public EntityMigrationBuilder withResource(String resource) {
    this.resource = resource;
    return this;
  }

  /**
   * The share of keys, from 0 to 100, that {@code NEW_READS} serves from the new service; default 0. A tech lead can
   * change it at run time with {@link dev.dualwrite.phase.Phases#setCanaryPercent}.
   */
  public EntityMigrationBuilder withCanaryPercent(double percent) {
    this.canaryPercent = percent;
    return this;
  }

  /** The share of reads, from 0 to 1, compared against the other store in the phases that compare; default 0.1. */
  public EntityMigrationBuilder withShadowSampleRate(double rate) {
    this.shadowSampleRate = rate;
    return this;
  }

  /**
   * How deliveries to the new service are retried. The relay honours the policy's delay ({@code withDelay}, a random
   * {@code withDelay(min, max)} or {@code withBackoff}), jitter, max attempts (or max retries: attempts are retries +
   * 1), which must be finite, and max duration, counted from the change's commit to the outbox; after the last attempt
   * or at the end of the max duration the change is dead-lettered. {@link #build()} refuses a policy with settings the
   * relay cannot honour: abort and failure conditions, delay functions and listeners. Default {@link
   * EntityMigration#DEFAULT_RETRY_POLICY}.
   */
  public EntityMigrationBuilder withRetryPolicy(RetryPolicy<Object> retryPolicy) {
    this.retryPolicy = retryPolicy;
    return this;
  }

  /**
   * Payload fields (as named in the JSON snapshot) whose values must never appear in logs, dead letters or mismatch
   * reports. They are still sent to the new service.
   */
  public EntityMigrationBuilder withSensitiveFields(String... fields) {
    for (String field : fields) {
      if (field == null || field.isBlank()) {
        throw invalid("sensitiveFields", field == null ? "null" : "'" + field + "'", "non-blank field names");
      }
      sensitiveFields.add(field);
    }
    return this;
  }

  /**
   * Opts the entity into the automated rollback: {@code guard} moves it one step back by itself when its measures stay
   * over their bounds (see {@link RollbackGuard}). None by default.
   */
  public EntityMigrationBuilder withRollbackGuard(RollbackGuard guard) {
    this.rollbackGuard = guard;
    return this;
  }

  /**
   * Whether the reverse sync goes on in {@code NEW_ONLY}, so that legacy keeps a copy of the new service's data (for
   * reports or a last way back); by default it stops when the entity enters NEW_ONLY.
   */
  public EntityMigrationBuilder withReverseSyncInNewOnly(boolean keepLegacyCopy) {
    this.reverseSyncInNewOnly = keepLegacyCopy;
    return this;
  }

  /**
   * Checks every setting and builds the configuration.
   *
   * @throws IllegalArgumentException naming the field, its value and what is allowed, for the first invalid setting
   */
  public EntityMigration build() {
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid("name", quoted(name),
          "1 to 200 characters: letters, digits and _ . $ -, starting with a letter or _");
    }
    if (resource != null && !RESOURCE.matcher(resource).matches()) {
      throw invalid("resource", quoted(resource),
          "one URL path segment of 1 to 200 characters: letters, digits and . _ ~ -, starting with a letter or digit");
    }
    if (!(canaryPercent >= 0 && canaryPercent <= 100)) {
      throw invalid("canaryPercent", String.valueOf(canaryPercent), "a percentage from 0 to 100");
    }
    if (!(shadowSampleRate >= 0 && shadowSampleRate <= 1)) {
      throw invalid("shadowSampleRate", String.valueOf(shadowSampleRate), "a fraction from 0 to 1");
    }
    if (retryPolicy == null) {
      throw invalid("retryPolicy", "null", "a Failsafe RetryPolicy");
    }
    int maxAttempts = retryPolicy.getConfig().getMaxAttempts();
    if (maxAttempts < 1) {
      throw invalid("retryPolicy.maxAttempts", String.valueOf(maxAttempts),
          "a finite number of attempts, at least 1, so that a change that keeps failing reaches the dead letters");
    }
    refuseUnhonouredRetrySettings(retryPolicy.getConfig());
    return new EntityMigration(this);
  }

  /**
   * Throws when the retry policy sets what the relay, which decides retry or dead letter from the new service's
   * answer and stores when a change is due again instead of running Failsafe, cannot honour.
   */
  private void refuseUnhonouredRetrySettings(RetryPolicyConfig<Object> retry) {
    List<String> refused = new ArrayList<>();
    if (!retry.getAbortConditions().isEmpty()) {
      refused.add("abort conditions (abortOn/abortIf/abortWhen): the relay dead-letters a change at once when the new"
          + " service rejects it for good (a REJECTED result)");
    }
    if (!retry.getFailureConditions().isEmpty()) {
      refused.add("failure conditions (handle/handleIf/handleResult/handleResultIf): the new service's answer decides"
          + " what is retried (RETRY results and failed requests)");
    }
    if (retry.getDelayFn() != null) {
      refused.add("a delay function (withDelayFn/withDelayFnOn/withDelayFnWhen): use withDelay, withDelay(min, max)"
          + " or withBackoff");
    }
    List<String> listeners = RETRY_LISTENERS.stream()
        .filter(listener -> listener.getValue().apply(retry) != null).map(Map.Entry::getKey).toList();
    if (!listeners.isEmpty()) {
      refused.add("listeners (" + String.join(", ", listeners) + "): register a MirrorListener with"
          + " DualWriteBuilder.onMirrorEvent (onRetryScheduled, onDeadLettered, onDelivered)");
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException("retryPolicy of entity '" + name + "' sets what the relay does not honour: "
          + String.join("; ", refused) + ". Remove them; the relay honours delay, withDelay(min, max), withBackoff,"
          + " jitter, withMaxAttempts/withMaxRetries and withMaxDuration");
    }
  }

  private IllegalArgumentException invalid(String field, String value, String allowed) {
    String entity = name == null ? "" : " of entity '" + name + "'";
    return Settings.invalid(field + entity, value, allowed);
  }

  private static String quoted(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}

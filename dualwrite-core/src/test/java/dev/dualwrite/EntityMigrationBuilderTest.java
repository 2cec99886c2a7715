package dev.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failsafe.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityMigrationBuilderTest {

  @Test
  void defaultsAreSafe() {
    EntityMigration users = EntityMigration.builder("users").build();
    assertThat(users.resource()).isEqualTo("users");
    assertThat(users.canaryPercent()).isZero();
    assertThat(users.shadowSampleRate()).isEqualTo(0.1);
    assertThat(users.retryPolicy().getConfig().getMaxAttempts()).isEqualTo(10);
  }

  @Test
  void keepsWhatWasSet() {
    RetryPolicy<Object> retry = RetryPolicy.builder().withMaxAttempts(3).build();
    EntityMigrationBuilder builder =
        EntityMigration.builder("users")
            .withResource("people")
            .withCanaryPercent(12.5)
            .withShadowSampleRate(1)
            .withRetryPolicy(retry);
    EntityMigration users = builder.build();
    builder.withCanaryPercent(50);

    assertThat(users.resource()).isEqualTo("people");
    assertThat(users.canaryPercent()).as("built configuration does not change").isEqualTo(12.5);
    assertThat(users.shadowSampleRate()).isEqualTo(1.0);
    assertThat(users.retryPolicy()).isSameAs(retry);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1users", "users table", "a/b"})
  void rejectsBadNames(String name) {
    assertThatThrownBy(() -> EntityMigration.builder(name).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name")
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("allowed: 1 to 200 characters");
  }

  @Test
  void rejectsANullName() {
    assertThatThrownBy(() -> EntityMigration.builder(null).build()).hasMessageStartingWith("name is null; allowed:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/users", "users/1", "users?x", "-users"})
  void rejectsBadResources(String resource) {
    assertThatThrownBy(() -> EntityMigration.builder("users").withResource(resource).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource of entity 'users' is '" + resource + "'; allowed: one URL path segment of 1 to 200"
            + " characters: letters, digits and . _ ~ -, starting with a letter or digit");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 100.01, Double.NaN})
  void rejectsCanaryPercentagesOutsideZeroToHundred(double percent) {
    assertThatThrownBy(() -> EntityMigration.builder("users").withCanaryPercent(percent).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("canaryPercent of entity 'users' is " + percent + "; allowed: a percentage from 0 to 100");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1, 1.5, Double.NaN})
  void rejectsShadowSampleRatesOutsideZeroToOne(double rate) {
    assertThatThrownBy(() -> EntityMigration.builder("users").withShadowSampleRate(rate).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shadowSampleRate of entity 'users' is " + rate + "; allowed: a fraction from 0 to 1");
  }

  @Test
  void rejectsRetryPoliciesThatNeverGiveUp() {
    assertThatThrownBy(
            () -> EntityMigration.builder("users").withRetryPolicy(RetryPolicy.builder().withMaxRetries(-1).build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retryPolicy.maxAttempts of entity 'users' is -1; allowed: a finite number");
    assertThatThrownBy(() -> EntityMigration.builder("users").withRetryPolicy(null).build())
        .hasMessage("retryPolicy of entity 'users' is null; allowed: a Failsafe RetryPolicy");
  }

  @Test
  void refusesARetryPolicyWithSettingsTheRelayDoesNotHonourNamingEach() {
    RetryPolicy<Object> policy = RetryPolicy.builder()
        .abortOn(IllegalStateException.class)
        .handle(java.io.IOException.class)
        .withDelayFn(context -> Duration.ofSeconds(1))
        .onRetry(event -> { })
        .onFailure(event -> { })
        .withMaxAttempts(3)
        .build();

    assertThatThrownBy(() -> EntityMigration.builder("users").withRetryPolicy(policy).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryPolicy of entity 'users' sets what the relay does not honour:"
            + " abort conditions (abortOn/abortIf/abortWhen): the relay dead-letters a change at once when the new"
            + " service rejects it for good (a REJECTED result);"
            + " failure conditions (handle/handleIf/handleResult/handleResultIf): the new service's answer decides"
            + " what is retried (RETRY results and failed requests);"
            + " a delay function (withDelayFn/withDelayFnOn/withDelayFnWhen): use withDelay, withDelay(min, max) or"
            + " withBackoff;"
            + " listeners (onRetry, onFailure): register a MirrorListener with DualWriteBuilder.onMirrorEvent"
            + " (onRetryScheduled, onDeadLettered, onDelivered)."
            + " Remove them; the relay honours delay, withDelay(min, max), withBackoff, jitter,"
            + " withMaxAttempts/withMaxRetries and withMaxDuration");
  }

  @Test
  void refusesARetryPolicyWithOnlyAListener() {
    RetryPolicy<Object> policy = RetryPolicy.builder().onRetriesExceeded(event -> { }).build();

    assertThatThrownBy(() -> EntityMigration.builder("orders").withRetryPolicy(policy).build())
        .hasMessageStartingWith("retryPolicy of entity 'orders' sets what the relay does not honour: listeners"
            + " (onRetriesExceeded): register a MirrorListener");
  }

  @Test
  void acceptsARetryPolicyMadeOfTheSettingsTheRelayHonours() {
    RetryPolicy<Object> policy = RetryPolicy.builder()
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(30))
        .withJitter(Duration.ofMillis(10))
        .withMaxRetries(4)
        .withMaxDuration(Duration.ofMinutes(5))
        .build();

    assertThat(EntityMigration.builder("users").withRetryPolicy(policy).build().retryPolicy()).isSameAs(policy);
    assertThat(EntityMigration.builder("users").withRetryPolicy(RetryPolicy.builder()
        .withDelay(Duration.ofSeconds(1), Duration.ofSeconds(2)).withJitter(0.1).build()).build()).isNotNull();
  }
}

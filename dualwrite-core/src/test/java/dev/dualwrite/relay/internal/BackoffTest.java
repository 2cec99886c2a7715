package dev.dualwrite.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void exponentialBackoffGrowsByItsFactorUpToItsMaximum() {
    RetryPolicy<Object> policy = RetryPolicy.builder().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .withMaxAttempts(10).build();
    assertThat(Backoff.delay(policy.getConfig(), 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.delay(policy.getConfig(), 2)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.delay(policy.getConfig(), 4)).isEqualTo(Duration.ofMillis(800));
    assertThat(Backoff.delay(policy.getConfig(), 9)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void jitterStaysWithinItsFactor() {
    RetryPolicy<Object> policy = RetryPolicy.builder().withDelay(Duration.ofSeconds(1)).withJitter(0.25).build();
    for (int i = 0; i < 200; i++) {
      assertThat(Backoff.delay(policy.getConfig(), 1)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
    }
  }

  @Test
  void aRandomDelayStaysWithinItsBounds() {
    RetryPolicy<Object> policy = RetryPolicy.builder()
        .withDelay(Duration.ofMillis(10), Duration.ofMillis(20)).build();
    for (int i = 0; i < 200; i++) {
      assertThat(Backoff.delay(policy.getConfig(), 3)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
    }
  }

  @Test
  void redactionRemovesSensitiveValuesTheServiceEchoed() {
    String error = "422: {\"error\":\"ssn 123-45-6789 of bob@example.com is invalid\"}";
    String payload = "{\"id\":1,\"ssn\":\"123-45-6789\",\"email\":\"bob@example.com\",\"name\":\"Bob\"}";

    assertThat(Redactor.redact(error, payload, Set.of("ssn", "email")))
        .isEqualTo("422: {\"error\":\"ssn *** of *** is invalid\"}");
    assertThat(Redactor.redact(error, payload, Set.of())).isEqualTo(error);
  }
}

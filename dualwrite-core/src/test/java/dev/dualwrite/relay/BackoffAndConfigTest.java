package dev.dualwrite.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failsafe.CircuitBreakerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffAndConfigTest {

  @Test
  void defaultsAreValid() {
    RelayConfig config = RelayConfig.defaults();
    assertThat(config.batchSize()).isEqualTo(500);
    assertThat(config.concurrency()).isEqualTo(2);
    assertThat(config.deliveredRetention()).as("delivered rows are deleted at once").isZero();
    assertThat(config.lease()).isEqualTo(Duration.ofSeconds(30));
    CircuitBreakerConfig<Object> breaker = config.circuitBreaker().getConfig();
    assertThat(breaker.getFailureThreshold()).as("opens after 5 failed requests in a row").isEqualTo(5);
    assertThat(breaker.getFailureThresholdingCapacity()).isEqualTo(5);
    assertThat(breaker.getDelay()).as("stays open 5 s").isEqualTo(Duration.ofSeconds(5));
    assertThat(breaker.getSuccessThreshold()).as("closes after 1 success").isEqualTo(1);
  }

  @Test
  void eachSettingOutOfRangeIsNamed() {
    assertThatThrownBy(() -> RelayConfig.builder().withBatchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("relay batchSize is 0; allowed: 1 to 1000");
    assertThatThrownBy(() -> RelayConfig.builder().withConcurrency(17).build())
        .hasMessage("relay concurrency is 17; allowed: 1 to 16");
    assertThatThrownBy(() -> RelayConfig.builder().withPollInterval(Duration.ofMillis(1)).build())
        .hasMessage("relay pollInterval is PT0.001S; allowed: 10 ms to 1 minute");
    assertThatThrownBy(() -> RelayConfig.builder().withLease(null).build())
        .hasMessage("relay lease is null; allowed: 100 ms to 1 hour");
    assertThatThrownBy(() -> RelayConfig.builder().withDeliveredRetention(Duration.ofSeconds(-1)).build())
        .hasMessage("relay deliveredRetention is PT-1S; allowed: zero (delete on delivery) to 30 days");
  }
}

package dev.dualwrite.spring.boot3;

import dev.dualwrite.spring.health.DualWriteHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Spring Boot 3.5's {@code dualwrite} health contributor ({@code /actuator/health/dualwrite}, Boot 3's types): renders
 * {@link DualWriteHealth}'s verdict. Thread-safe.
 */
public final class DualWriteBoot3HealthIndicator implements HealthIndicator {
  private final DualWriteHealth health;

  public DualWriteBoot3HealthIndicator(DualWriteHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    DualWriteHealth.Verdict verdict = health.assess();
    return Health.status(new Status(verdict.status())).withDetail("entities", verdict.entities()).build();
  }
}

package dev.dualwrite.spring.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Spring Boot 4's {@code dualwrite} health contributor ({@code /actuator/health/dualwrite}): renders
 * {@link DualWriteHealth}'s verdict. Thread-safe.
 */
public final class DualWriteHealthIndicator implements HealthIndicator {
  private final DualWriteHealth health;

  public DualWriteHealthIndicator(DualWriteHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    DualWriteHealth.Verdict verdict = health.assess();
    return Health.status(new Status(verdict.status())).withDetail("entities", verdict.entities()).build();
  }
}

package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.health.DualWriteHealth;
import dev.dualwrite.spring.health.DualWriteHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 4's {@code dualwrite} health contributor, when Spring Boot's health support is present; off with
 * {@code management.health.dualwrite.enabled=false}. It is also a {@link dev.dualwrite.relay.MirrorListener}, so
 * dualwrite tells it how deliveries go.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
@ConditionalOnBean(DualWrite.class)
@ConditionalOnEnabledHealthIndicator("dualwrite")
@EnableConfigurationProperties(DualWriteProperties.class)
public final class DualWriteHealthAutoConfiguration {

  /** What the contributor reports; a {@link dev.dualwrite.relay.MirrorListener} too, so it hears of deliveries. */
  @Bean
  @ConditionalOnMissingBean
  DualWriteHealth dualWriteHealth(ObjectProvider<DualWrite> dualWrite, DualWriteProperties properties) {
    return new DualWriteHealth(dualWrite::getObject, properties.health().maxBacklogAge());
  }

  /** Named so that the contributor is {@code dualwrite}: {@code /actuator/health/dualwrite}. */
  @Bean
  @ConditionalOnMissingBean
  DualWriteHealthIndicator dualwriteHealthIndicator(DualWriteHealth health) {
    return new DualWriteHealthIndicator(health);
  }
}

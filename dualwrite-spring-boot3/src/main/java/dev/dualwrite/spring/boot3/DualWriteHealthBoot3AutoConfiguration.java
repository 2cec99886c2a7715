package dev.dualwrite.spring.boot3;

import dev.dualwrite.DualWrite;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.autoconfigure.DualWriteAutoConfiguration;
import dev.dualwrite.spring.health.DualWriteHealth;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 3.5's adapter for the {@code dualwrite} health contributor, as dualwrite-spring's
 * {@code DualWriteHealthAutoConfiguration} is Spring Boot 4's: the same {@link DualWriteHealth}, rendered with Boot
 * 3's health types; off with {@code management.health.dualwrite.enabled=false}.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
@ConditionalOnBean(DualWrite.class)
@ConditionalOnEnabledHealthIndicator("dualwrite")
@EnableConfigurationProperties(DualWriteProperties.class)
public final class DualWriteHealthBoot3AutoConfiguration {

  /** What the contributor reports; a {@link dev.dualwrite.relay.MirrorListener} too, so it hears of deliveries. */
  @Bean
  @ConditionalOnMissingBean
  DualWriteHealth dualWriteHealth(ObjectProvider<DualWrite> dualWrite, DualWriteProperties properties) {
    return new DualWriteHealth(dualWrite::getObject, properties.health().maxBacklogAge());
  }

  /** Named so that the contributor is {@code dualwrite}: {@code /actuator/health/dualwrite}. */
  @Bean
  @ConditionalOnMissingBean
  DualWriteBoot3HealthIndicator dualwriteHealthIndicator(DualWriteHealth health) {
    return new DualWriteBoot3HealthIndicator(health);
  }
}

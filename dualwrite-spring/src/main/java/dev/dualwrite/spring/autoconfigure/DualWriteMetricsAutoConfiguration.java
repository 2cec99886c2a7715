package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.spring.metrics.DualWriteMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link DualWriteMetrics} when Micrometer is present. Spring Boot binds every {@link MeterBinder} bean to
 * the application's meter registries.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
@ConditionalOnBean(DualWrite.class)
public final class DualWriteMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DualWriteMetrics dualWriteMetrics(DualWrite dualWrite) {
    return new DualWriteMetrics(dualWrite);
  }
}

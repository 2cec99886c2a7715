package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.metrics.DualWriteMetrics;
import dev.dualwrite.spring.metrics.ReadRouterMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link DualWriteMetrics}, and {@link ReadRouterMetrics} over the application's {@link ReadRouter} beans,
 * when Micrometer is present. Spring Boot binds every {@link MeterBinder} bean to the application's meter registries.
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

  @Bean
  @ConditionalOnMissingBean
  ReadRouterMetrics dualWriteReadRouterMetrics(ObjectProvider<ReadRouter> readRouters) {
    return new ReadRouterMetrics(readRouters.orderedStream().toList());
  }
}

package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.TargetClientCustomizer;
import dev.dualwrite.spring.metrics.DualWriteMetrics;
import dev.dualwrite.spring.metrics.MirrorLatencyMetrics;
import dev.dualwrite.spring.metrics.ReadRouterMetrics;
import dev.dualwrite.spring.metrics.TargetRequestMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link DualWriteMetrics}, {@link ReadRouterMetrics} over the application's {@link ReadRouter} beans, the
 * commit → acknowledgement timer {@link MirrorLatencyMetrics} (a {@code MirrorListener} that {@code DualWrite} picks
 * up) and, when {@code dualwrite.target.url} is set, the HTTP timer {@link TargetRequestMetrics} (added to the client
 * by a {@link TargetClientCustomizer}), when Micrometer is present. Spring Boot binds every {@link MeterBinder} bean to
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

  @Bean
  @ConditionalOnMissingBean
  ReadRouterMetrics dualWriteReadRouterMetrics(ObjectProvider<ReadRouter> readRouters) {
    return new ReadRouterMetrics(readRouters.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean
  MirrorLatencyMetrics dualWriteMirrorLatencyMetrics() {
    return new MirrorLatencyMetrics();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty("dualwrite.target.url")
  TargetRequestMetrics dualWriteTargetRequestMetrics(DualWriteProperties properties) {
    return new TargetRequestMetrics(properties.target().url());
  }

  @Bean
  @ConditionalOnProperty("dualwrite.target.url")
  TargetClientCustomizer dualWriteTargetRequestTimer(ObjectProvider<TargetRequestMetrics> metrics) {
    return builder -> metrics.ifAvailable(builder::withInterceptor);
  }
}

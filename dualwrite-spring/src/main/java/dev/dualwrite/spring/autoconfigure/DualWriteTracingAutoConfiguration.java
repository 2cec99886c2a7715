package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.spring.TargetClientCustomizer;
import dev.dualwrite.spring.tracing.MicrometerTracing;
import dev.dualwrite.spring.tracing.TraceparentHeader;
import dev.dualwrite.trace.spi.Tracing;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Tracing across the relay, when the application has Micrometer Observation and Micrometer Tracing: a
 * {@link MicrometerTracing} over its {@link ObservationRegistry} and {@link Tracer} (either may be missing: without a
 * registry nothing is traced, without a tracer deliveries, backfill chunks and verification runs are observed but no
 * trace context is kept), which {@link DualWrite} picks up; and, when {@code dualwrite.target.url} is set, the
 * {@link TraceparentHeader} on the new service's HTTP client. Backs off when the application defines its own
 * {@link Tracing} bean ({@code Tracing.none()} switches tracing off).
 */
@AutoConfiguration(before = DualWriteAutoConfiguration.class)
@ConditionalOnClass({ObservationRegistry.class, Tracer.class})
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
public final class DualWriteTracingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Tracing dualWriteTracing(ObjectProvider<ObservationRegistry> registry, ObjectProvider<Tracer> tracer) {
    ObservationRegistry observations = registry.getIfUnique();
    return observations == null ? Tracing.none() : new MicrometerTracing(observations, tracer.getIfUnique());
  }

  @Bean
  @ConditionalOnProperty("dualwrite.target.url")
  TargetClientCustomizer dualWriteTraceparentHeader(ObjectProvider<Tracing> tracing) {
    return builder -> builder.withInterceptor(new TraceparentHeader(tracing.getIfUnique(Tracing::none)));
  }
}

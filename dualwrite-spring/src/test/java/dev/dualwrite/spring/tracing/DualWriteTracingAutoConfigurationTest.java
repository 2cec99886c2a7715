package dev.dualwrite.spring.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.spring.TargetClientCustomizer;
import dev.dualwrite.spring.autoconfigure.DualWriteTracingAutoConfiguration;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.spi.Tracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The tracing auto-configuration: over the application's registry and tracer, off without a registry, backing off. */
class DualWriteTracingAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DualWriteTracingAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class Observed {
    final List<String> observed = new ArrayList<>();

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(new ObservationHandler<>() {
        @Override
        public boolean supportsContext(Observation.Context context) {
          return true;
        }

        @Override
        public void onStop(Observation.Context context) {
          observed.add(context.getName() + " " + context.getLowCardinalityKeyValues().stream()
              .map(tag -> tag.getKey() + "=" + tag.getValue()).toList());
        }
      });
      return registry;
    }

    @Bean
    Tracer tracer() {
      return Tracer.NOOP;
    }
  }

  @Test
  void theApplicationsRegistryObservesDualwritesWorkAndTheHeaderIsAddedToTheServicesClient() {
    runner.withUserConfiguration(Observed.class).withPropertyValues("dualwrite.target.url=http://127.0.0.1:1/mirror")
        .run(context -> {
          assertThat(context).hasSingleBean(TargetClientCustomizer.class);
          Tracing tracing = context.getBean(Tracing.class);
          assertThat(tracing).isInstanceOf(MicrometerTracing.class);
          assertThat(tracing.current()).as("a no-op tracer's span is no context").isNull();
          try (Tracing.Scope scope = tracing.start(ObservedWork.BACKFILL_CHUNK, "users", null)) {
            scope.tag("outcome", "copied");
          }
          assertThat(context.getBean(Observed.class).observed)
              .containsExactly("dualwrite.backfill.chunk [entity=users, outcome=copied]");
        });
  }

  @Test
  void withoutAnObservationRegistryNothingIsTraced() {
    runner.run(context -> assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.none()));
  }

  @Test
  void aTracingOfTheApplicationsReplacesDualwrites() {
    runner.withUserConfiguration(Observed.class).withBean(Tracing.class, Tracing::none)
        .run(context -> assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.none()));
  }

  @Test
  void offWithDualwrite() {
    runner.withUserConfiguration(Observed.class).withPropertyValues("dualwrite.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Tracing.class));
  }
}

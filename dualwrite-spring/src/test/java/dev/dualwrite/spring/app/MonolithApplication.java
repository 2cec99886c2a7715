package dev.dualwrite.spring.app;

import dev.dualwrite.DualWrite;
import dev.dualwrite.read.ReadRouter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/**
 * A monolith in a test: Spring Boot with Spring Data JPA, web and Actuator, one {@code @Mirrored} entity, its own JSON
 * mapper ({@link ApplicationJson}, of the Jackson line the running Spring Boot uses) and a {@link ReadRouter}.
 * dualwrite is configured by nothing but properties.
 */
@SpringBootApplication
public class MonolithApplication {

  /**
   * The customers' read router: the endpoint, the admin page and the meters show its counters. Only while dualwrite
   * is on, as it needs the {@link DualWrite} bean.
   */
  @Bean
  @ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
  ReadRouter customerReads(DualWrite dualWrite) {
    return ReadRouter.builder(dualWrite, "customers").build();
  }
}

package dev.dualwrite.spring.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dualwrite.DualWrite;
import dev.dualwrite.read.ReadRouter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/**
 * A monolith in a test: Spring Boot with Spring Data JPA, web and Actuator, one {@code @Mirrored} entity, its own
 * Jackson 2 {@link ObjectMapper} and a {@link ReadRouter}. dualwrite is configured by nothing but properties.
 */
@SpringBootApplication
public class MonolithApplication {

  /** The application's own mapper, which dualwrite uses for snapshots: it writes enums by {@code toString()}. */
  @Bean
  ObjectMapper objectMapper() {
    return new ObjectMapper().enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
  }

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

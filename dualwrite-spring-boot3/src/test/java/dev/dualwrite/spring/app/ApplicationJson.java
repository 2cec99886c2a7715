package dev.dualwrite.spring.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The test monolith's own JSON mapper on Spring Boot 3.5: a Jackson 2 {@link ObjectMapper} bean that writes enums by
 * {@code toString()}. dualwrite's snapshots use it.
 */
@Configuration(proxyBeanMethods = false)
public class ApplicationJson {
  /** The type of the application's mapper on this line. */
  public static final Class<?> MAPPER_TYPE = ObjectMapper.class;

  @Bean
  ObjectMapper objectMapper() {
    return new ObjectMapper().enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
  }
}

package dev.dualwrite.spring.app;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test monolith's own JSON mapper on Spring Boot 4: a Jackson 3 {@link JsonMapper} bean (in place of the one Spring
 * Boot configures) that writes enums by {@code toString()}. dualwrite's snapshots use it.
 */
@Configuration(proxyBeanMethods = false)
public class ApplicationJson {
  /** The type of the application's mapper on this line. */
  public static final Class<?> MAPPER_TYPE = JsonMapper.class;

  @Bean
  JsonMapper jsonMapper() {
    return JsonMapper.builder().enable(EnumFeature.WRITE_ENUMS_USING_TO_STRING).build();
  }
}

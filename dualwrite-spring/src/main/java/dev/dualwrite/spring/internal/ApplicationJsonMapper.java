package dev.dualwrite.spring.internal;

import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds the application's JSON mapper for dualwrite's snapshots, on either Jackson line: its one Jackson 3
 * {@code tools.jackson.databind.ObjectMapper} bean (Spring Boot 4's {@code JsonMapper}), else its one Jackson 2
 * {@code com.fasterxml.jackson.databind.ObjectMapper} bean. The types are named, not linked, so that a Jackson line the
 * application does not have is never loaded.
 */
public final class ApplicationJsonMapper {
  private static final List<String> MAPPER_TYPES =
      List.of("tools.jackson.databind.ObjectMapper", "com.fasterxml.jackson.databind.ObjectMapper");

  private ApplicationJsonMapper() {}

  /** The mapper, or null when the application has no single one of either line. */
  public static Object find(ListableBeanFactory beans) {
    ClassLoader loader = ApplicationJsonMapper.class.getClassLoader();
    for (String type : MAPPER_TYPES) {
      if (ClassUtils.isPresent(type, loader)) {
        Object mapper = beans.getBeanProvider(ClassUtils.resolveClassName(type, loader)).getIfUnique();
        if (mapper != null) {
          return mapper;
        }
      }
    }
    return null;
  }
}

package dev.dualwrite.spring;

import dev.dualwrite.spring.autoconfigure.DualWriteHibernatePropertiesAutoConfiguration;
import java.util.Map;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ApplicationContext;

/** Spring Boot 4's types, for the tests that run on both lines (dualwrite-spring-boot3 has Boot 3.5's). */
public final class SpringBootLine {
  /** Spring Boot's own auto-configuration of the {@code DataSource}. */
  public static final Class<?> DATA_SOURCE_AUTO_CONFIGURATION = DataSourceAutoConfiguration.class;
  /** dualwrite's adapter to this line's {@code HibernatePropertiesCustomizer}. */
  public static final Class<?> HIBERNATE_ADAPTER = DualWriteHibernatePropertiesAutoConfiguration.class;

  private SpringBootLine() {}

  /** Runs the context's one {@code HibernatePropertiesCustomizer} over {@code settings}. */
  public static void customizeHibernate(ApplicationContext context, Map<String, Object> settings) {
    context.getBean(HibernatePropertiesCustomizer.class).customize(settings);
  }
}

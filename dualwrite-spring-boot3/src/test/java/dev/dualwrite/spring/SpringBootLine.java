package dev.dualwrite.spring;

import dev.dualwrite.spring.boot3.DualWriteHibernateBoot3AutoConfiguration;
import java.util.Map;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer;
import org.springframework.context.ApplicationContext;

/** Spring Boot 3.5's types, for dualwrite-spring's tests run on this line. */
public final class SpringBootLine {
  /** Spring Boot's own auto-configuration of the {@code DataSource}. */
  public static final Class<?> DATA_SOURCE_AUTO_CONFIGURATION = DataSourceAutoConfiguration.class;
  /** dualwrite's adapter to this line's {@code HibernatePropertiesCustomizer}. */
  public static final Class<?> HIBERNATE_ADAPTER = DualWriteHibernateBoot3AutoConfiguration.class;

  private SpringBootLine() {}

  /** Runs the context's one {@code HibernatePropertiesCustomizer} over {@code settings}. */
  public static void customizeHibernate(ApplicationContext context, Map<String, Object> settings) {
    context.getBean(HibernatePropertiesCustomizer.class).customize(settings);
  }
}

package dev.dualwrite.spring.boot3;

import dev.dualwrite.spring.autoconfigure.DualWriteHibernateAutoConfiguration;
import dev.dualwrite.spring.autoconfigure.DualWriteHibernateSettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.orm.jpa.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 3.5's adapter: a {@link HibernatePropertiesCustomizer} (Boot 3's type) that applies
 * {@link DualWriteHibernateSettings} to the {@code EntityManagerFactory} Spring Boot builds. Everything else comes
 * from dualwrite-spring, which this starter brings.
 */
@AutoConfiguration(after = DualWriteHibernateAutoConfiguration.class)
@ConditionalOnClass(HibernatePropertiesCustomizer.class)
@ConditionalOnBean(DualWriteHibernateSettings.class)
public final class DualWriteHibernateBoot3AutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "dualWriteHibernatePropertiesCustomizer")
  HibernatePropertiesCustomizer dualWriteHibernatePropertiesCustomizer(DualWriteHibernateSettings settings) {
    return settings::applyTo;
  }
}

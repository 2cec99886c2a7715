package dev.dualwrite.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 4's adapter: a {@link HibernatePropertiesCustomizer} that applies {@link DualWriteHibernateSettings}.
 * (On Spring Boot 3.5, dualwrite-spring-boot3 brings the same for Boot 3's customizer type.)
 */
@AutoConfiguration(after = DualWriteHibernateAutoConfiguration.class)
@ConditionalOnClass(HibernatePropertiesCustomizer.class)
@ConditionalOnBean(DualWriteHibernateSettings.class)
public final class DualWriteHibernatePropertiesAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "dualWriteHibernatePropertiesCustomizer")
  HibernatePropertiesCustomizer dualWriteHibernatePropertiesCustomizer(DualWriteHibernateSettings settings) {
    return settings::applyTo;
  }
}

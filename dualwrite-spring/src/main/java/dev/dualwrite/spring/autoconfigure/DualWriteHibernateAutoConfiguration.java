package dev.dualwrite.spring.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.spring.DualWriteProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands {@link DualWrite} to the Hibernate {@code EntityManagerFactory} that Spring Boot builds, through a
 * {@link HibernatePropertiesCustomizer}: {@link DualWriteHibernate#configure} puts the instance and the bulk-write
 * guard into the settings, so dualwrite's integrator finds them when the factory starts. Also sets
 * {@code dualwrite.bulk_writes} and, when the application has one Jackson 2 {@link ObjectMapper} bean,
 * {@code dualwrite.object_mapper}. With {@code dualwrite.enabled=false} it sets Hibernate's {@code dualwrite.enabled}
 * to {@code false} instead, so the integrator stands down.
 *
 * <p>An application that builds its own {@code EntityManagerFactory} calls {@link DualWriteHibernate#configure}
 * itself.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(HibernatePropertiesCustomizer.class)
public final class DualWriteHibernateAutoConfiguration {

  /** Connects Hibernate to the {@link DualWrite} bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
  @ConditionalOnBean({DualWrite.class, DualWriteProperties.class})
  static class Enabled {

    @Bean
    @ConditionalOnMissingBean(name = "dualWriteHibernatePropertiesCustomizer")
    HibernatePropertiesCustomizer dualWriteHibernatePropertiesCustomizer(
        DualWrite dualWrite, DualWriteProperties properties, ObjectProvider<ObjectMapper> objectMapper) {
      return settings -> {
        DualWriteHibernate.configure(settings, dualWrite);
        settings.put(DualWriteSettings.BULK_WRITES, properties.bulkWrites());
        objectMapper.ifUnique(mapper -> settings.put(DualWriteSettings.OBJECT_MAPPER, mapper));
      };
    }
  }

  /** Tells dualwrite's Hibernate integrator to stand down. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "dualwrite.enabled", havingValue = false)
  static class Disabled {

    @Bean
    @ConditionalOnMissingBean(name = "dualWriteHibernatePropertiesCustomizer")
    HibernatePropertiesCustomizer dualWriteHibernatePropertiesCustomizer() {
      return settings -> settings.put(DualWriteSettings.ENABLED, "false");
    }
  }
}

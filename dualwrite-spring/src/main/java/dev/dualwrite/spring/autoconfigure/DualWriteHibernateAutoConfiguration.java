package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.internal.ApplicationJsonMapper;
import org.hibernate.SessionFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What dualwrite hands to the Hibernate {@code EntityManagerFactory} that Spring Boot builds, as
 * {@link DualWriteHibernateSettings}: {@link DualWriteHibernate#configure} puts the {@link DualWrite} instance and the
 * bulk-write guard into the settings, so dualwrite's integrator finds them when the factory starts; also
 * {@code dualwrite.bulk_writes} and the application's JSON mapper for snapshots ({@link ApplicationJsonMapper}: its
 * Jackson 3 {@code JsonMapper}, else its Jackson 2 {@code ObjectMapper}). With {@code dualwrite.enabled=false} the
 * settings set Hibernate's {@code dualwrite.enabled} to {@code false} instead, so the integrator stands down. The
 * {@code HibernatePropertiesCustomizer} of the running Spring Boot line applies them
 * ({@link DualWriteHibernatePropertiesAutoConfiguration} on Spring Boot 4).
 *
 * <p>An application that builds its own {@code EntityManagerFactory} calls {@link DualWriteHibernate#configure}
 * itself.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(SessionFactory.class)
public final class DualWriteHibernateAutoConfiguration {

  /** Connects Hibernate to the {@link DualWrite} bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
  @ConditionalOnBean({DualWrite.class, DualWriteProperties.class})
  static class Enabled {

    @Bean
    @ConditionalOnMissingBean
    DualWriteHibernateSettings dualWriteHibernateSettings(
        DualWrite dualWrite, DualWriteProperties properties, ListableBeanFactory beans) {
      return DualWriteHibernateSettings.enabled(dualWrite, properties.bulkWrites(), ApplicationJsonMapper.find(beans));
    }
  }

  /** Tells dualwrite's Hibernate integrator to stand down. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "dualwrite.enabled", havingValue = false)
  static class Disabled {

    @Bean
    @ConditionalOnMissingBean
    DualWriteHibernateSettings dualWriteHibernateSettings() {
      return DualWriteHibernateSettings.disabled();
    }
  }
}

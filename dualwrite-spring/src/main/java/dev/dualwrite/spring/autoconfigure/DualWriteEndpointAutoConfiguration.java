package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.actuate.DualWriteEndpoint;
import dev.dualwrite.spring.actuate.DualWriteEndpointWebExtension;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dualwrite} Actuator endpoint, when Actuator is present and the endpoint is available (exposed and not
 * switched off with {@code management.endpoint.dualwrite.access=none}). Its write operations also need
 * {@code dualwrite.endpoint.write-operations-enabled=true}.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
@ConditionalOnBean(DualWrite.class)
@ConditionalOnAvailableEndpoint(DualWriteEndpoint.class)
@EnableConfigurationProperties(DualWriteProperties.class)
public final class DualWriteEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DualWriteEndpoint dualWriteEndpoint(
      DualWrite dualWrite,
      ObjectProvider<ReadRouter> readRouters,
      ObjectProvider<EntityManagerFactory> entityManagerFactory,
      ObjectProvider<DataSource> dataSource,
      DualWriteProperties properties) {
    DataSource database = dataSource.getIfUnique();
    return new DualWriteEndpoint(
        dualWrite,
        readRouters.orderedStream().toList(),
        properties.endpoint().writeOperationsEnabled(),
        entity -> legacySource(entityManagerFactory.getIfUnique(), entity),
        database == null ? null : DualWriteRecords.of(database),
        properties.endpoint().trendInterval());
  }

  /** The entity's legacy rows, read through the application's Hibernate as its @Mirrored class maps them. */
  private static LegacySource legacySource(EntityManagerFactory entityManagerFactory, String entity) {
    if (entityManagerFactory == null) {
      throw new IllegalStateException("the application has no single JPA EntityManagerFactory, so the legacy rows of '"
          + entity + "' cannot be read; run the backfill and verification with the CLI or the Java API");
    }
    return DualWriteHibernate.legacySource(entityManagerFactory.unwrap(SessionFactory.class), entity);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(DualWriteEndpoint.class)
  @ConditionalOnAvailableEndpoint(endpoint = DualWriteEndpoint.class, exposure = EndpointExposure.WEB)
  DualWriteEndpointWebExtension dualWriteEndpointWebExtension(DualWriteEndpoint endpoint) {
    return new DualWriteEndpointWebExtension(endpoint);
  }
}

package dev.dualwrite.spring.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.gate.spi.PhaseGate;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.TargetClientCustomizer;
import dev.dualwrite.spring.internal.DualWriteFactory;
import dev.dualwrite.spring.internal.MirroredEntities;
import dev.dualwrite.spring.internal.StartupChecks;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.spi.Tracing;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * Builds {@link DualWrite} from the application's {@link DataSource}, the {@code dualwrite.*} properties and the
 * {@code @Mirrored} entities that Spring Boot's JPA auto-configuration scans; and, when {@code dualwrite.target.url}
 * is set, the HTTP client of the new service. Uses the application's Jackson 2 {@link ObjectMapper} and
 * {@link OkHttpClient} beans when there is one of each, any {@link TargetClientCustomizer} beans for the HTTP client,
 * and any {@link PhaseStore}, {@link MirrorListener} and {@link Tracing} beans.
 * Each bean backs off when the application defines its own. Off with {@code dualwrite.enabled=false}.
 */
// Spring Boot 4's DataSourceAutoConfiguration, then Spring Boot 3.5's
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DualWriteProperties.class)
public final class DualWriteAutoConfiguration {

  /** The new service's HTTP client, from {@code dualwrite.target}. Closed by {@link DualWrite#close()}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty("dualwrite.target.url")
  TargetClient dualWriteTargetClient(
      DualWriteProperties properties,
      ObjectProvider<OkHttpClient> okHttpClient,
      ObjectProvider<ObjectMapper> mapper,
      ObjectProvider<TargetClientCustomizer> customizers) {
    return DualWriteFactory.targetClient(properties.target(), okHttpClient.getIfUnique(), mapper.getIfUnique(),
        customizers.orderedStream().toList());
  }

  /**
   * dualwrite itself: entities, phases, outbox and this node's relay. A property under {@code dualwrite.target} that
   * is not one of dualwrite's (a typo such as {@code dualwrite.target.uri}) fails start-up.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(DataSource.class)
  @DependsOnDatabaseInitialization
  DualWrite dualWrite(
      DualWriteProperties properties,
      DataSource dataSource,
      ObjectProvider<MirroredEntities> mirroredEntities,
      ObjectProvider<TargetClient> targetClient,
      ObjectProvider<PhaseStore> phaseStore,
      ObjectProvider<MirrorListener> listeners,
      ObjectProvider<PhaseGate> gates,
      ObjectProvider<Tracing> tracing,
      Environment environment) {
    StartupChecks.checkTargetProperties(environment);
    return DualWriteFactory.dualWrite(
        properties,
        dataSource,
        mirroredEntities.getIfAvailable(MirroredEntities::unknown),
        targetClient.getIfUnique(),
        phaseStore.getIfUnique(),
        listeners.orderedStream().toList(),
        gates.orderedStream().toList(),
        tracing.getIfUnique(Tracing::none));
  }

  /** The {@code @Mirrored} entities among those Spring Boot's JPA auto-configuration scanned. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(PersistenceManagedTypes.class)
  static class ScannedEntities {

    @Bean
    @ConditionalOnMissingBean
    MirroredEntities dualWriteMirroredEntities(
        ObjectProvider<PersistenceManagedTypes> managedTypes, ResourceLoader resourceLoader) {
      PersistenceManagedTypes types = managedTypes.getIfUnique();
      return types == null ? MirroredEntities.unknown()
          : MirroredEntities.scan(types.getManagedClassNames(), resourceLoader);
    }
  }
}

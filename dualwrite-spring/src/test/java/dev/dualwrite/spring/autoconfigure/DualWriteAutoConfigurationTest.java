package dev.dualwrite.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.hibernate.BulkWritePolicy;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.SpringBootLine;
import dev.dualwrite.spring.actuate.DualWriteEndpoint;
import dev.dualwrite.spring.actuate.DualWriteEndpointWebExtension;
import dev.dualwrite.spring.app.Customer;
import dev.dualwrite.spring.app.Invoice;
import dev.dualwrite.spring.internal.DualWriteFactory;
import dev.dualwrite.spring.metrics.DualWriteMetrics;
import dev.dualwrite.spring.metrics.MirrorLatencyMetrics;
import dev.dualwrite.spring.metrics.ReadRouterMetrics;
import dev.dualwrite.spring.metrics.TargetRequestMetrics;
import dev.dualwrite.target.spi.TargetClient;
import dev.failsafe.RetryPolicyConfig;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/** The auto-configuration's beans, their back-off, the properties and the off switch. */
class DualWriteAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          SpringBootLine.DATA_SOURCE_AUTO_CONFIGURATION,
          DualWriteAutoConfiguration.class,
          DualWriteHibernateAutoConfiguration.class,
          SpringBootLine.HIBERNATE_ADAPTER,
          DualWriteMetricsAutoConfiguration.class,
          DualWriteEndpointAutoConfiguration.class))
      .withPropertyValues(
          "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
          "dualwrite.schema.auto-create=true",
          "management.endpoints.web.exposure.include=dualwrite");

  /** Stands in for the persistence unit Spring Boot's JPA auto-configuration scans. */
  @Configuration(proxyBeanMethods = false)
  static class ScannedEntities {
    @Bean
    PersistenceManagedTypes persistenceManagedTypes() {
      return PersistenceManagedTypes.of(Customer.class.getName(), Invoice.class.getName());
    }
  }

  @Test
  void anAnnotatedEntityAndATargetUrlAreAllItTakes() {
    runner.withUserConfiguration(ScannedEntities.class)
        .withPropertyValues("dualwrite.target.url=http://127.0.0.1:9/mirror")
        .run(context -> {
          assertThat(context).hasNotFailed()
              .hasSingleBean(DualWrite.class)
              .hasSingleBean(TargetClient.class)
              .hasSingleBean(DualWriteMetrics.class)
              .hasSingleBean(ReadRouterMetrics.class)
              .hasSingleBean(MirrorLatencyMetrics.class)
              .hasSingleBean(TargetRequestMetrics.class)
              .hasSingleBean(DualWriteEndpoint.class)
              .hasSingleBean(DualWriteEndpointWebExtension.class)
              .hasSingleBean(DualWriteHibernateSettings.class);
          DualWrite dualWrite = context.getBean(DualWrite.class);
          assertThat(dualWrite.entities()).extracting(EntityMigration::name).containsExactly("customers");
          assertThat(NodeServices.of(dualWrite).targetClient()).containsSame(context.getBean(TargetClient.class));
        });
  }

  @Test
  void targetClientCustomizersGetTheBuilderAfterTheProperties() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (dev.dualwrite.test.service.ReferenceMirrorService service =
        dev.dualwrite.test.service.ReferenceMirrorService.start()) {
      runner.withUserConfiguration(ScannedEntities.class)
          .withPropertyValues("dualwrite.target.url=" + service.baseUrl())
          .withBean(dev.dualwrite.spring.TargetClientCustomizer.class, () -> builder -> builder
              .withHeader("X-Tenant", () -> "demo")
              .withInterceptor(chain -> {
                seen.add(chain.request().method() + " " + chain.request().url().encodedPath() + " "
                    + chain.request().header("X-Tenant"));
                return chain.proceed(chain.request());
              }))
          .run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TargetClient.class).get("customers", "1")).isEmpty();
            assertThat(seen).containsExactly("GET /mirror/v1/customers/1 demo");
          });
    }
  }

  @Test
  void withoutATargetUrlTheNodeAppendsButDoesNotDeliver() {
    runner.withUserConfiguration(ScannedEntities.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(DualWrite.class).doesNotHaveBean(TargetClient.class)
          .doesNotHaveBean(TargetRequestMetrics.class).hasSingleBean(MirrorLatencyMetrics.class);
      DualWrite dualWrite = context.getBean(DualWrite.class);
      try (Connection connection = context.getBean(DataSource.class).getConnection()) {
        connection.setAutoCommit(false);
        List<Change> appended = ChangeCapture.of(dualWrite).append(connection, List.of(Change.of("customers",
            "customers", "1", ChangeOperation.UPSERT, "{\"id\":1}", ChangeOrigin.LIVE)));
        connection.commit();
        ChangeCapture.of(dualWrite).committed(appended);
      }

      assertThat(dualWrite.outbox().backlog().get("customers").pending()).as("appended").isEqualTo(1);
      assertThatThrownBy(dualWrite::relay).as("nothing on this node delivers it")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("this node has no relay");
    });
  }

  @Test
  void everyMirroredEntityGetsTheDefaultsAndConfiguredOnesTheirSettings() {
    runner.withUserConfiguration(ScannedEntities.class)
        .withPropertyValues(
            "dualwrite.phase-staleness=250ms",
            "dualwrite.entities.orders.resource=purchase-orders",
            "dualwrite.entities.orders.canary-percent=5",
            "dualwrite.entities.orders.shadow-sample-rate=0.5",
            "dualwrite.entities.orders.sensitive-fields=card,address",
            "dualwrite.entities.orders.retry.max-attempts=3",
            "dualwrite.entities.orders.retry.delay=1s",
            "dualwrite.entities.orders.retry.max-delay=1s")
        .run(context -> {
          DualWrite dualWrite = context.getBean(DualWrite.class);
          assertThat(dualWrite.entities()).extracting(EntityMigration::name).containsExactly("orders", "customers");
          EntityMigration orders = dualWrite.entity("orders");
          assertThat(orders.resource()).isEqualTo("purchase-orders");
          assertThat(orders.canaryPercent()).isEqualTo(5);
          assertThat(orders.shadowSampleRate()).isEqualTo(0.5);
          assertThat(orders.sensitiveFields()).containsExactlyInAnyOrder("card", "address");
          RetryPolicyConfig<Object> retry = orders.retryPolicy().getConfig();
          assertThat(retry.getMaxAttempts()).isEqualTo(3);
          assertThat(retry.getDelay()).isEqualTo(Duration.ofSeconds(1));
          assertThat(retry.getMaxDelay()).as("equal delays: a fixed delay").isNull();
          assertThat(dualWrite.phases().maxStaleness()).isEqualTo(Duration.ofMillis(250));
        });
  }

  @Test
  void propertyDefaultsAreDualWritesDefaults() {
    runner.withUserConfiguration(ScannedEntities.class).run(context -> {
      DualWriteProperties properties = context.getBean(DualWriteProperties.class);
      EntityMigration core = EntityMigration.builder("customers").build();
      EntityMigration bound = context.getBean(DualWrite.class).entity("customers");
      assertThat(bound).usingRecursiveComparison().ignoringFields("retryPolicy").isEqualTo(core);
      assertThat(bound.retryPolicy().getConfig()).usingRecursiveComparison()
          .isEqualTo(core.retryPolicy().getConfig());
      RelayConfig relay = DualWriteFactory.relay(properties.relay());
      assertThat(relay).usingRecursiveComparison()
          .ignoringFields("circuitBreaker").isEqualTo(RelayConfig.defaults());
      assertThat(relay.circuitBreaker().getConfig()).usingRecursiveComparison()
          .isEqualTo(RelayConfig.defaults().circuitBreaker().getConfig());
      assertThat(DualWriteFactory.gates(properties.gates(), java.util.List.of())).usingRecursiveComparison()
          .isEqualTo(dev.dualwrite.gate.PhaseGates.defaults());
      assertThat(properties.phaseStaleness()).isEqualTo(DualWriteBuilder.DEFAULT_PHASE_STALENESS);
      assertThat(properties.bulkWrites()).isEqualTo(BulkWritePolicy.REJECT);
      assertThat(properties.endpoint().writeOperationsEnabled()).isFalse();
      assertThat(DualWriteProperties.Entity.defaults()).isEqualTo(bindEntity(context, "customers"));
    });
  }

  private static DualWriteProperties.Entity bindEntity(ApplicationContext context, String name) {
    return Binder.get(context.getEnvironment()).bindOrCreate("dualwrite.entities." + name,
        DualWriteProperties.Entity.class);
  }

  @Test
  void handsDualWriteTheApplicationsObjectMapperAndBulkWritePolicyToHibernate() {
    ObjectMapper mapper = new ObjectMapper();
    runner.withUserConfiguration(ScannedEntities.class)
        .withBean(ObjectMapper.class, () -> mapper)
        .withPropertyValues("dualwrite.bulk-writes=warn")
        .run(context -> {
          Map<String, Object> settings = new HashMap<>();
          SpringBootLine.customizeHibernate(context, settings);
          assertThat(settings)
              .containsEntry(DualWriteSettings.INSTANCE, context.getBean(DualWrite.class))
              .containsEntry(DualWriteSettings.OBJECT_MAPPER, mapper)
              .containsEntry(DualWriteSettings.BULK_WRITES, BulkWritePolicy.WARN)
              .containsKey(AvailableSettings.STATEMENT_INSPECTOR)
              .doesNotContainKey(DualWriteSettings.ENABLED);
        });
  }

  @Test
  void withoutAnApplicationObjectMapperHibernateKeepsDualWritesOwn() {
    runner.withUserConfiguration(ScannedEntities.class).run(context -> {
      Map<String, Object> settings = new HashMap<>();
      SpringBootLine.customizeHibernate(context, settings);
      assertThat(settings).containsKey(DualWriteSettings.INSTANCE).doesNotContainKey(DualWriteSettings.OBJECT_MAPPER);
    });
  }

  @Test
  void theTargetClientStartsFromTheApplicationsOkHttpClient() {
    AtomicInteger intercepted = new AtomicInteger();
    OkHttpClient okHttp = new OkHttpClient.Builder().addInterceptor(chain -> {
      intercepted.incrementAndGet();
      return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(404).message("Not Found")
          .body(ResponseBody.create("{}", MediaType.get("application/json"))).build();
    }).build();
    runner.withUserConfiguration(ScannedEntities.class)
        .withBean(OkHttpClient.class, () -> okHttp)
        .withPropertyValues("dualwrite.target.url=http://127.0.0.1:9/mirror")
        .run(context -> {
          assertThat(context.getBean(TargetClient.class).get("customers", "1")).isEmpty();
          assertThat(intercepted).hasValue(1);
        });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnDualWrite() {
    runner.withUserConfiguration(ScannedEntities.class)
        .withBean("myDualWrite", DualWrite.class, () -> DualWrite.builder()
            .withPhaseStore(PhaseStore.inMemory())
            .withEntity(EntityMigration.builder("customers").build())
            .build())
        .withPropertyValues("dualwrite.target.url=http://127.0.0.1:9/mirror")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(DualWrite.class).hasBean("myDualWrite");
          assertThat(context.getBean(DualWriteEndpoint.class).report().entities()).hasSize(1);
          Map<String, Object> settings = new HashMap<>();
          SpringBootLine.customizeHibernate(context, settings);
          assertThat(settings).containsEntry(DualWriteSettings.INSTANCE, context.getBean("myDualWrite"));
        });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnTargetClient() {
    TargetClient mine = changes -> List.of();
    runner.withUserConfiguration(ScannedEntities.class)
        .withBean(TargetClient.class, () -> mine)
        .withPropertyValues("dualwrite.target.url=http://127.0.0.1:9/mirror")
        .run(context -> {
          assertThat(context).hasSingleBean(TargetClient.class);
          assertThat(NodeServices.of(context.getBean(DualWrite.class)).targetClient()).containsSame(mine);
        });
  }

  @Test
  void usesTheApplicationsPhaseStoreAndMirrorListeners() {
    PhaseStore store = PhaseStore.inMemory();
    AtomicInteger appended = new AtomicInteger();
    MirrorListener listener = new MirrorListener() {
      @Override
      public void onAppended(String entity, int count) {
        appended.addAndGet(count);
      }
    };
    runner.withUserConfiguration(ScannedEntities.class)
        .withBean(PhaseStore.class, () -> store)
        .withBean(MirrorListener.class, () -> listener)
        .run(context -> {
          DualWrite dualWrite = context.getBean(DualWrite.class);
          dualWrite.phases().move("customers", MigrationPhase.DUAL_WRITE, "test", "test");
          assertThat(store.loadAll()).containsKey("customers");
          ChangeCapture.of(dualWrite).committed(List.of(Change.of("customers", "customers", "1",
              ChangeOperation.UPSERT, "{}", ChangeOrigin.LIVE).withVersion(1)));
          assertThat(appended).hasValue(1);
        });
  }

  @Test
  void switchedOffEverythingStandsDownIncludingTheHibernateIntegrator() {
    runner.withUserConfiguration(ScannedEntities.class)
        .withPropertyValues("dualwrite.enabled=false", "dualwrite.target.url=http://127.0.0.1:9/mirror")
        .run(context -> {
          assertThat(context).hasNotFailed()
              .doesNotHaveBean(DualWrite.class)
              .doesNotHaveBean(TargetClient.class)
              .doesNotHaveBean(DualWriteMetrics.class)
              .doesNotHaveBean(DualWriteEndpoint.class)
              .doesNotHaveBean(DualWriteProperties.class);
          Map<String, Object> settings = new HashMap<>();
          SpringBootLine.customizeHibernate(context, settings);
          assertThat(settings).isEqualTo(Map.of(DualWriteSettings.ENABLED, "false"));
        });
  }

  @Test
  void withoutAnyEntityStartupSaysWhatToDo() {
    runner.run(context -> assertThat(context).getFailure().rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@Mirrored(\"users\")")
        .hasMessageContaining("dualwrite.entities")
        .hasMessageContaining("dualwrite.enabled=false"));
  }

  @Test
  void withoutADataSourceThereIsNoDualWrite() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DualWriteAutoConfiguration.class,
            DualWriteMetricsAutoConfiguration.class, DualWriteEndpointAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DualWrite.class)
            .doesNotHaveBean(DualWriteEndpoint.class).doesNotHaveBean(DualWriteMetrics.class));
  }

  @Test
  void theEndpointIsLeftOutWhenItIsNotExposed() {
    runner.withUserConfiguration(ScannedEntities.class)
        .withPropertyValues("management.endpoints.web.exposure.include=health")
        .run(context -> assertThat(context).hasSingleBean(DualWrite.class).doesNotHaveBean(DualWriteEndpoint.class));
  }
}

package dev.dualwrite.spring.internal;

import static dev.dualwrite.spring.internal.PropertySettings.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.EntityMigrationBuilder;
import dev.dualwrite.gate.PhaseGates;
import dev.dualwrite.gate.PhaseGatesBuilder;
import dev.dualwrite.gate.spi.PhaseGate;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.relay.RelayConfigBuilder;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.TargetClientCustomizer;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.HttpTargetClientBuilder;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.spi.Tracing;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds dualwrite from {@link DualWriteProperties}: the entities (configured and {@code @Mirrored}), the relay and the
 * HTTP target client. Every value goes through dualwrite's own builders; one they refuse fails startup with an
 * {@link InvalidConfigurationPropertyValueException} that names the property, its value and the builder's reason.
 */
public final class DualWriteFactory {
  private static final Logger log = LoggerFactory.getLogger(DualWriteFactory.class);
  private static final double RETRY_JITTER = 0.2;

  private DualWriteFactory() {}

  /**
   * Builds and starts dualwrite for the application.
   *
   * @param mirrored the entities found {@code @Mirrored}; each one not under {@code dualwrite.entities} gets the
   *     defaults
   * @param targetClient the new service's client, or {@code null} for a node that does not deliver
   * @param phaseStore where phases are kept, or {@code null} for the JDBC store over {@code dataSource}
   * @param tracing the application's tracing, {@link Tracing#none()} when it has none
   * @throws InvalidConfigurationPropertyValueException naming the property whose value is refused
   * @throws IllegalStateException when there is no entity to migrate
   */
  public static DualWrite dualWrite(
      DualWriteProperties properties,
      DataSource dataSource,
      MirroredEntities mirrored,
      TargetClient targetClient,
      PhaseStore phaseStore,
      List<MirrorListener> listeners,
      List<PhaseGate> customGates,
      Tracing tracing) {
    DualWriteBuilder builder = DualWrite.builder()
        .withDataSource(dataSource)
        .withPhaseStore(phaseStore)
        .withTargetClient(targetClient)
        .withSchemaAutoCreate(properties.schema().autoCreate())
        .withPhaseStaleness(properties.phaseStaleness())
        .withRelay(relay(properties.relay()))
        .withPhaseGates(gates(properties.gates(), customGates))
        .withTracing(tracing);
    listeners.forEach(builder::onMirrorEvent);
    for (EntityMigration entity : entities(properties, mirrored)) {
      builder.withEntity(entity);
    }
    DualWrite dualWrite;
    try {
      dualWrite = builder.build();
    } catch (IllegalArgumentException e) {
      // Of the settings DualWriteBuilder itself checks, only the staleness bound comes from a property; the others
      // were checked above or are beans.
      if (e.getMessage() != null && e.getMessage().startsWith("phaseStaleness")) {
        throw new InvalidConfigurationPropertyValueException(
            "dualwrite.phase-staleness", properties.phaseStaleness(), e.getMessage());
      }
      throw e;
    }
    List<String> names = dualWrite.entities().stream().map(EntityMigration::name).toList();
    if (targetClient != null) {
      log.info("dualwrite: migrating {}; delivering to {}", names,
          properties.target().url() != null ? properties.target().url() : targetClient);
    } else if (!properties.relay().enabled()) {
      log.info("dualwrite: migrating {}; dualwrite.relay.enabled=false, so this node does not deliver", names);
    } else {
      List<String> mirroring = names.stream()
          .filter(name -> dualWrite.phases().current(name).mirrorsLegacyToNew()).toList();
      log.warn("dualwrite: dualwrite.target.url is not set, so this node delivers nothing: changes of {} wait in the"
          + " outbox until a node with dualwrite.target.url delivers them ({}). Set dualwrite.target.url to the new"
          + " service's mirror-protocol base URL, e.g. http://user-service:8081/mirror; on a node that should not"
          + " deliver, set dualwrite.relay.enabled=false.", names,
          mirroring.isEmpty() ? "none is mirrored yet" : "mirrored now: " + mirroring);
    }
    return dualWrite;
  }

  /**
   * The entities to migrate: those under {@code dualwrite.entities} with their settings, then every other
   * {@code @Mirrored} one with the defaults.
   *
   * @throws IllegalStateException when there is none
   */
  static List<EntityMigration> entities(DualWriteProperties properties, MirroredEntities mirrored) {
    Set<String> names = new LinkedHashSet<>(properties.entities().keySet());
    names.addAll(mirrored.names());
    if (names.isEmpty()) {
      throw new IllegalStateException("dualwrite has no entity to migrate: annotate a JPA entity with"
          + " @Mirrored(\"users\"), or configure one under dualwrite.entities (e.g. dualwrite.entities.users.resource"
          + "=users); or switch dualwrite off with dualwrite.enabled=false");
    }
    List<EntityMigration> entities = new ArrayList<>();
    for (String name : names) {
      DualWriteProperties.Entity settings = properties.entities().get(name);
      if (settings != null) {
        if (mirrored.scanned() && mirrored.classesOf(name).isEmpty()) {
          log.warn("dualwrite: dualwrite.entities.{} is configured but no JPA entity is @Mirrored(\"{}\"); mirrored"
              + " entities are {}", name, name, mirrored.names());
        }
        entities.add(entity(name, settings));
      } else {
        entities.add(mirroredEntity(name, mirrored.classesOf(name)));
      }
    }
    return entities;
  }

  /**
   * One entity from its properties.
   *
   * @throws InvalidConfigurationPropertyValueException naming the property under {@code dualwrite.entities.<name>}
   */
  static EntityMigration entity(String name, DualWriteProperties.Entity settings) {
    String prefix = "dualwrite.entities." + name;
    EntityMigrationBuilder builder = EntityMigration.builder(name);
    apply(prefix, name, builder::build);
    apply(prefix + ".resource", settings.resource(), () -> builder.withResource(settings.resource()).build());
    apply(prefix + ".canary-percent", settings.canaryPercent(),
        () -> builder.withCanaryPercent(settings.canaryPercent()).build());
    apply(prefix + ".shadow-sample-rate", settings.shadowSampleRate(),
        () -> builder.withShadowSampleRate(settings.shadowSampleRate()).build());
    apply(prefix + ".sensitive-fields", settings.sensitiveFields(),
        () -> builder.withSensitiveFields(settings.sensitiveFields().toArray(String[]::new)).build());
    builder.withReverseSyncInNewOnly(settings.reverseSyncInNewOnly());

    DualWriteProperties.Retry retry = settings.retry();
    RetryPolicyBuilder<Object> policy = RetryPolicy.builder().withJitter(RETRY_JITTER);
    apply(prefix + ".retry.delay", retry.delay(), () -> policy.withDelay(retry.delay()));
    apply(prefix + ".retry.max-delay", retry.maxDelay(),
        () -> retry.maxDelay().equals(retry.delay()) ? policy : policy.withBackoff(retry.delay(), retry.maxDelay()));
    return apply(prefix + ".retry.max-attempts", retry.maxAttempts(),
        () -> builder.withRetryPolicy(policy.withMaxAttempts(retry.maxAttempts()).build()).build());
  }

  /** An entity found only through {@code @Mirrored}, with the defaults. */
  private static EntityMigration mirroredEntity(String name, List<String> classes) {
    try {
      return entity(name, DualWriteProperties.Entity.defaults());
    } catch (InvalidConfigurationPropertyValueException e) {
      throw new IllegalStateException("@Mirrored(\"" + name + "\") on " + classes + " names an entity dualwrite"
          + " cannot use: " + e.getReason(), e);
    }
  }

  /**
   * The phase gates from {@code dualwrite.gates} and the application's {@link PhaseGate} beans.
   *
   * @throws InvalidConfigurationPropertyValueException naming the property under {@code dualwrite.gates}
   */
  public static PhaseGates gates(DualWriteProperties.Gates gates, List<PhaseGate> customGates) {
    PhaseGatesBuilder builder = PhaseGates.builder().withBuiltInGates(gates.builtIn());
    customGates.forEach(builder::withGate);
    apply("dualwrite.gates.max-verification-differences", gates.maxVerificationDifferences(),
        () -> builder.withMaxVerificationDifferences(gates.maxVerificationDifferences()).build());
    apply("dualwrite.gates.max-shadow-mismatch-rate", gates.maxShadowMismatchRate(),
        () -> builder.withShadowMismatchRate(gates.maxShadowMismatchRate(), gates.minShadowComparisons()).build());
    apply("dualwrite.gates.max-backlog", gates.maxBacklog(), () -> builder.withMaxBacklog(gates.maxBacklog()).build());
    return apply("dualwrite.gates.min-new-writes-soak", gates.minNewWritesSoak(),
        () -> builder.withMinNewWritesSoak(gates.minNewWritesSoak()).build());
  }

  /**
   * The relay's configuration from {@code dualwrite.relay}.
   *
   * @throws InvalidConfigurationPropertyValueException naming the property under {@code dualwrite.relay}
   */
  public static RelayConfig relay(DualWriteProperties.Relay relay) {
    RelayConfigBuilder builder = RelayConfig.builder().withEnabled(relay.enabled());
    apply("dualwrite.relay.batch-size", relay.batchSize(), () -> builder.withBatchSize(relay.batchSize()).build());
    apply("dualwrite.relay.concurrency", relay.concurrency(),
        () -> builder.withConcurrency(relay.concurrency()).build());
    apply("dualwrite.relay.poll-interval", relay.pollInterval(),
        () -> builder.withPollInterval(relay.pollInterval()).build());
    apply("dualwrite.relay.lease", relay.lease(), () -> builder.withLease(relay.lease()).build());
    return apply("dualwrite.relay.delivered-retention", relay.deliveredRetention(),
        () -> builder.withDeliveredRetention(relay.deliveredRetention()).build());
  }

  /**
   * The HTTP mirror-protocol client from {@code dualwrite.target}.
   *
   * @param okHttpClient the application's OkHttp client to start from (TLS, proxy, interceptors), or {@code null}
   * @param objectMapper the application's Jackson 2 mapper, or {@code null} for a plain one
   * @param customizers applied to the builder, in order, after the properties
   * @throws InvalidConfigurationPropertyValueException naming the property under {@code dualwrite.target}
   */
  public static TargetClient targetClient(
      DualWriteProperties.Target target, OkHttpClient okHttpClient, ObjectMapper objectMapper,
      List<TargetClientCustomizer> customizers) {
    HttpTargetClientBuilder builder = HttpTargetClient.builder(target.url())
        .withOkHttpClient(okHttpClient)
        .withObjectMapper(objectMapper);
    if (target.bearerToken() != null) {
      String token = target.bearerToken();
      builder.withBearerToken(() -> token);
    }
    // The client's build() only creates objects; closing a probe releases them.
    apply("dualwrite.target.url", target.url(), () -> probe(builder));
    apply("dualwrite.target.connect-timeout", target.connectTimeout(),
        () -> probe(builder.withConnectTimeout(target.connectTimeout())));
    apply("dualwrite.target.call-timeout", target.callTimeout(),
        () -> probe(builder.withCallTimeout(target.callTimeout())));
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  private static HttpTargetClientBuilder probe(HttpTargetClientBuilder builder) {
    builder.build().close();
    return builder;
  }
}

package dev.dualwrite.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.gate.PhaseGates;
import dev.dualwrite.hibernate.BulkWritePolicy;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.target.HttpTargetClientBuilder;
import dev.failsafe.RetryPolicyConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Each default of {@code dualwrite.*} is written twice, as the builder's default in core and as the property's
 * {@code @DefaultValue}: with no property set, the starter builds exactly what the builders build by default.
 */
class SpringDefaultsTest {
  private final DualWriteProperties properties =
      new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("dualwrite", DualWriteProperties.class);

  @Test
  void noPropertiesBuildTheNodesDefaults() {
    assertThat(properties.enabled()).isTrue();
    assertThat(properties.phaseStaleness()).isEqualTo(DualWriteBuilder.DEFAULT_PHASE_STALENESS);
    assertThat(properties.schema().autoCreate()).as("as DualWriteBuilder.withSchemaAutoCreate").isFalse();
    assertThat(properties.bulkWrites()).isEqualTo(BulkWritePolicy.REJECT);
    assertThat(properties.endpoint().writeOperationsEnabled()).isFalse();
  }

  @Test
  void noPropertiesBuildTheRelaysAndTheGatesDefaults() {
    assertThat(DualWriteFactory.relay(properties.relay())).usingRecursiveComparison()
        .isEqualTo(RelayConfig.defaults());
    assertThat(DualWriteFactory.gates(properties.gates(), List.of())).usingRecursiveComparison()
        .isEqualTo(PhaseGates.defaults());
  }

  @Test
  void noPropertiesBuildTheTargetClientsDefaults() {
    assertThat(properties.target().url()).isNull();
    assertThat(properties.target().connectTimeout()).isEqualTo(HttpTargetClientBuilder.DEFAULT_CONNECT_TIMEOUT);
    assertThat(properties.target().callTimeout()).isEqualTo(HttpTargetClientBuilder.DEFAULT_CALL_TIMEOUT);
  }

  @Test
  void anEntityWithoutPropertiesGetsTheEntityDefaults() {
    EntityMigration fromProperties = DualWriteFactory.entity("users", DualWriteProperties.Entity.defaults());
    EntityMigration fromBuilder = EntityMigration.builder("users").build();

    assertThat(fromProperties.resource()).isEqualTo(fromBuilder.resource());
    assertThat(fromProperties.canaryPercent()).isEqualTo(fromBuilder.canaryPercent());
    assertThat(fromProperties.shadowSampleRate()).isEqualTo(fromBuilder.shadowSampleRate());
    assertThat(fromProperties.sensitiveFields()).isEqualTo(fromBuilder.sensitiveFields());
    RetryPolicyConfig<Object> spring = fromProperties.retryPolicy().getConfig();
    RetryPolicyConfig<Object> core = fromBuilder.retryPolicy().getConfig();
    assertThat(spring.getMaxAttempts()).isEqualTo(core.getMaxAttempts());
    assertThat(spring.getDelay()).isEqualTo(core.getDelay());
    assertThat(spring.getMaxDelay()).isEqualTo(core.getMaxDelay());
    assertThat(spring.getDelayFactor()).isEqualTo(core.getDelayFactor());
    assertThat(spring.getJitterFactor()).isEqualTo(core.getJitterFactor());
  }
}

package dev.dualwrite.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.spring.SpringBootLine;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A value dualwrite refuses fails startup, naming the property, the value and why. */
class DualWritePropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpringBootLine.DATA_SOURCE_AUTO_CONFIGURATION, DualWriteAutoConfiguration.class))
      .withPropertyValues(
          "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
          "dualwrite.schema.auto-create=true",
          "dualwrite.target.url=http://127.0.0.1:9/mirror",
          "dualwrite.entities.users.resource=users");

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "dualwrite.entities.users.resource           | a/b       | resource of entity 'users' is 'a/b'",
      "dualwrite.entities.users.canary-percent     | 150       | canaryPercent of entity 'users' is 150.0",
      "dualwrite.entities.users.shadow-sample-rate | 2         | shadowSampleRate of entity 'users' is 2.0",
      "dualwrite.entities.users.retry.max-attempts | 0         | maxAttempts cannot be 0",
      "dualwrite.entities.users.retry.max-attempts | -1        | retryPolicy.maxAttempts of entity 'users' is -1",
      "dualwrite.entities.users.retry.delay        | 0s        | delay must be greater than 0",
      "dualwrite.entities.users.retry.max-delay    | 10ms      | delay must be < the maxDelay",
      "dualwrite.relay.batch-size                  | 0         | relay batchSize is 0; allowed: 1 to 1000",
      "dualwrite.gates.max-shadow-mismatch-rate    | 1.5       | maxShadowMismatchRate is 1.5; allowed: a fraction",
      "dualwrite.gates.max-backlog                 | -1        | maxBacklog is -1; allowed: 0 or more",
      "dualwrite.gates.min-new-writes-soak         | -1s       | minNewWritesSoak is PT-1S",
      "dualwrite.relay.concurrency                 | 17        | relay concurrency is 17; allowed: 1 to 16",
      "dualwrite.relay.poll-interval               | 1ms       | relay pollInterval is PT0.001S",
      "dualwrite.relay.lease                       | 2h        | relay lease is PT2H",
      "dualwrite.relay.delivered-retention         | 31d       | relay deliveredRetention is PT744H",
      "dualwrite.target.url                        | not-a-url | baseUrl is 'not-a-url'",
      "dualwrite.target.connect-timeout            | 0s        | connectTimeout is PT0S",
      "dualwrite.target.call-timeout               | 11m       | callTimeout is PT11M",
      "dualwrite.phase-staleness                   | 1ms       | phaseStaleness is PT0.001S",
  })
  void refusedValueFailsStartupNamingTheProperty(String property, String value, String reason) {
    runner.withPropertyValues(property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
      InvalidConfigurationPropertyValueException failure =
          (InvalidConfigurationPropertyValueException) rootCause(context.getStartupFailure());
      assertThat(failure.getName()).isEqualTo(property);
      assertThat(String.valueOf(failure.getValue())).isNotBlank();
      assertThat(failure.getReason()).contains(reason);
      assertThat(failure.getMessage()).contains(property);
    });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "dualwrite.bulk-writes                       | sometimes",
      "dualwrite.relay.batch-size                  | many",
      "dualwrite.entities.users.retry.delay        | soon",
      "dualwrite.endpoint.write-operations-enabled | perhaps",
  })
  void valueOfTheWrongTypeFailsBindingNamingTheProperty(String property, String value) {
    runner.withPropertyValues(property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      while (failure != null && !(failure instanceof BindException)) {
        failure = failure.getCause();
      }
      assertThat(failure).isInstanceOf(BindException.class);
      assertThat(((BindException) failure).getProperty().getName().toString()).isEqualTo(property);
    });
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}

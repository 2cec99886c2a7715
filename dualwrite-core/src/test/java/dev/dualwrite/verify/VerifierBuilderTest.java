package dev.dualwrite.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.legacy.StubLegacySource;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerifierBuilderTest {
  private final DualWrite withoutTarget = DualWrite.builder()
      .withPhaseStore(PhaseStore.inMemory())
      .withEntity(EntityMigration.builder("users").build())
      .build();

  @AfterEach
  void close() {
    withoutTarget.close();
  }

  private VerifierBuilder users() {
    return Verifier.builder(withoutTarget, StubLegacySource.of("users"));
  }

  @Test
  void boundsTheChunkSizeToWhatTheProtocolReadsAtOnce() {
    for (int bad : new int[] {0, 1001}) {
      assertThatThrownBy(() -> users().withChunkSize(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("chunkSize of the verifier of 'users' is " + bad + "; allowed: 1 to 1000 keys");
    }
  }

  @Test
  void boundsTheSampleRate() {
    for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> users().withSampleRate(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sampleRate of the verifier of 'users' is " + bad
              + "; allowed: a fraction above 0 and at most 1 (every key)");
    }
  }

  @Test
  void boundsTheSettleTimeoutAndTheSamples() {
    assertThatThrownBy(() -> users().withSettleTimeout(Duration.ofSeconds(-1)).build())
        .hasMessage("settleTimeout of the verifier of 'users' is PT-1S; allowed: from 0 (PT0S) to 1 hour (PT1H)");
    assertThatThrownBy(() -> users().withSampleLimit(1001).build())
        .hasMessage("sampleLimit of the verifier of 'users' is 1001; allowed: 0 to 1000 keys per kind");
    assertThatThrownBy(() -> users().withIgnoredFields("updatedAt", " "))
        .hasMessage("ignoredFields of the verifier of 'users' holds ' '; allowed: non-blank field names");
  }

  @Test
  void theChunkLeaseOutlastsTwoSettleTimeouts() {
    assertThatThrownBy(() -> users().withSettleTimeout(Duration.ofMinutes(1)).withChunkLease(Duration.ofMinutes(2))
        .build())
        .hasMessage("chunkLease of the verifier of 'users' is PT2M; allowed: from 1 second (PT1S) to 24 hours (PT24H),"
            + " and more than twice the settleTimeout (PT1M)");
    assertThatThrownBy(() -> users().withSettleTimeout(Duration.ZERO).withChunkLease(Duration.ofMillis(500)).build())
        .hasMessageStartingWith("chunkLease of the verifier of 'users' is PT0.5S");
    assertThat(new VerifierConfig(users()).chunkLease()).as("default").isEqualTo(Duration.ofMinutes(2));
    assertThat(new VerifierConfig(users().withSettleTimeout(Duration.ofMinutes(10))).chunkLease())
        .as("default beside a long settle timeout").isEqualTo(Duration.ofMinutes(21));
    assertThat(new VerifierConfig(users().withChunkLease(Duration.ofSeconds(90))).chunkLease())
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void readRetriesMustBeBoundedInAttemptsAndTime() {
    assertThatThrownBy(() -> users().withReadRetries(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readRetries of the verifier of 'users' is null; allowed: a Failsafe RetryPolicy, e.g."
            + " VerifierBuilder.DEFAULT_READ_RETRIES");
    assertThatThrownBy(() -> users().withReadRetries(RetryPolicy.builder().withMaxAttempts(-1)
            .withMaxDuration(Duration.ofMinutes(1)).build()).build())
        .hasMessage("readRetries.maxAttempts of the verifier of 'users' is -1; allowed: a finite number of attempts,"
            + " at least 1 (RetryPolicyBuilder.withMaxAttempts)");
    assertThatThrownBy(() -> users().withReadRetries(RetryPolicy.builder().withMaxAttempts(5).build()).build())
        .hasMessage("readRetries.maxDuration of the verifier of 'users' is null; allowed: a total time per read up to"
            + " 1 hour (RetryPolicyBuilder.withMaxDuration)");
    assertThatThrownBy(() -> users().withReadRetries(RetryPolicy.builder().withMaxAttempts(5)
            .withMaxDuration(Duration.ofHours(2)).build()).build())
        .hasMessageStartingWith("readRetries.maxDuration of the verifier of 'users' is PT2H;");
  }

  @Test
  void needsATargetThatCanRead() {
    assertThatThrownBy(() -> users().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no target is configured: call withTargetUrl(...) or withTargetClient(...)");
    assertThatThrownBy(() -> Verifier.builder(withoutTarget, StubLegacySource.of("orders")).build())
        .hasMessage("unknown entity 'orders'; configured entities are [users]");
  }
}

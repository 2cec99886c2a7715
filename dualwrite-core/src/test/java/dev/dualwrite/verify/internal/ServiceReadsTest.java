package dev.dualwrite.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.spi.TargetClient;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceReadsTest {
  private static final RetryPolicy<Object> THREE_QUICK = RetryPolicy.builder().withDelay(Duration.ofMillis(1))
      .withMaxAttempts(3).withMaxDuration(Duration.ofSeconds(10)).build();
  private static final TargetDocument ADA =
      new TargetDocument("1", 7, JsonNodeFactory.instance.objectNode().put("name", "Ada"));

  @Test
  void noAnswerServerErrorsRequestTimeoutAndTooManyRequestsAreTransientOtherAnswersAreNot() {
    for (Integer status : new Integer[] {null, 500, 502, 503, 504, 408, 429}) {
      assertThat(ServiceReads.isTransient(new TargetException(status, "x", null))).as("status " + status).isTrue();
    }
    for (int status : new int[] {200, 400, 401, 403, 404, 409, 422}) {
      assertThat(ServiceReads.isTransient(new TargetException(status, "x", null))).as("status " + status).isFalse();
    }
    assertThat(ServiceReads.isTransient(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void aReadThatFailsForAMomentIsTriedAgainAndCounted() {
    ScriptedTarget target = new ScriptedTarget(503, null);
    ServiceReads reads = new ServiceReads(target, "users", "users", THREE_QUICK);

    assertThat(reads.getMany(List.of("1"))).containsExactly(ADA);
    assertThat(reads.retried()).isEqualTo(2);
    assertThat(target.calls).isEqualTo(3);
  }

  @Test
  void aReadThatKeepsFailingEndsWithTheAttemptsAndWhatToDo() {
    ScriptedTarget target = new ScriptedTarget(500, 500, 500);
    ServiceReads reads = new ServiceReads(target, "users", "users", THREE_QUICK);

    assertThatThrownBy(() -> reads.getMany(List.of("1")))
        .isInstanceOf(DualWriteException.class)
        .hasMessageStartingWith("verify users: the new service could not answer: answered 500. Tried 3 time(s) over ")
        .hasMessageEndingWith(" s (at most 3 attempts within PT10S, with backoff). The run is kept: check that the new"
            + " service is up and reachable from this node, then verify again to resume it"
            + " (VerifierBuilder.withReadRetries sets how long a read keeps trying).")
        .hasCauseInstanceOf(TargetException.class);
    assertThat(reads.retried()).isEqualTo(2);
  }

  @Test
  void anAnswerThatWouldNotChangeIsNotRetried() {
    ScriptedTarget target = new ScriptedTarget(404);
    ServiceReads reads = new ServiceReads(target, "users", "users", THREE_QUICK);

    assertThatThrownBy(() -> reads.getMany(List.of("1")))
        .isInstanceOf(DualWriteException.class)
        .hasMessageStartingWith("verify users: the new service failed a read that is not retried: answered 404.");
    assertThat(target.calls).isEqualTo(1);
    assertThat(reads.retried()).isZero();
  }

  /** Fails with the scripted statuses in turn ({@code null}: no answer), then answers. */
  private static final class ScriptedTarget implements TargetClient {
    private final List<Integer> failures;
    int calls;

    ScriptedTarget(Integer... statuses) {
      this.failures = Arrays.asList(statuses);
    }

    @Override
    public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
      throw new UnsupportedOperationException("reads only");
    }

    @Override
    public List<TargetDocument> getMany(String resource, List<String> ids) {
      calls++;
      if (calls <= failures.size()) {
        Integer status = failures.get(calls - 1);
        throw new TargetException(status, status == null ? "no answer" : "answered " + status, null);
      }
      return List.of(ADA);
    }
  }
}

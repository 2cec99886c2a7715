package dev.dualwrite.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.EntityMigration;
import dev.dualwrite.SettableClock;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.TargetException;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The relay's decisions, one delivery cycle at a time: an in-memory queue, a scripted client, a settable clock. */
class DefaultRelayTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final String EMAIL = "ann@example.com";
  private static final String PAYLOAD = "{\"id\":\"1\",\"email\":\"" + EMAIL + "\",\"name\":\"Ann\"}";
  /** Fixed 10 s delay, no jitter, 3 attempts: every due time is exact. */
  private static final RetryPolicy<Object> TEN_SECONDS_THREE_ATTEMPTS =
      RetryPolicy.builder().withDelay(Duration.ofSeconds(10)).withMaxAttempts(3).build();
  /** A breaker that opens after 2 failed requests in a row and stays open longer than any test. */
  private static final CircuitBreaker<Object> OPENS_AFTER_TWO =
      CircuitBreaker.builder().withFailureThreshold(2).withDelay(Duration.ofHours(1)).build();

  private final SettableClock clock = new SettableClock(START);
  private final StubDeliveryQueue queue = new StubDeliveryQueue(clock);
  private final ScriptedTargetClient client = new ScriptedTargetClient();
  private final RecordingListener listener = new RecordingListener();

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void aClientAnsweringAnotherNumberOfResultsThanChangesSentFailsTheWholeBatchForRetry(int answered) {
    long first = queue.append("users", "1", PAYLOAD);
    long second = queue.append("users", "2", PAYLOAD);
    client.enqueue(batch -> Collections.nCopies(answered, DeliveryResult.applied()));

    relay(TEN_SECONDS_THREE_ATTEMPTS, RelayConfig.defaults()).deliverDue();

    for (long id : List.of(first, second)) {
      StubDeliveryQueue.Row row = queue.row(id);
      assertThat(row.delivered()).as("no change counts as delivered").isFalse();
      assertThat(row.dead()).isFalse();
      assertThat(row.attempts()).isEqualTo(1);
      assertThat(row.dueAt()).isEqualTo(START.plusSeconds(10));
      assertThat(row.error()).isEqualTo("target client returned " + answered + " results for 2 changes");
    }
  }

  @Test
  void anOpenCircuitStopsClaimingAndCountsNoAttempt() {
    long id = queue.append("users", "1", PAYLOAD);
    client.enqueue(failedRequest()).enqueue(failedRequest());
    DefaultRelay relay = relay(TEN_SECONDS_THREE_ATTEMPTS, breaker(OPENS_AFTER_TWO));
    relay.deliverDue();
    clock.advance(Duration.ofSeconds(10));
    relay.deliverDue();
    int claimsWhenOpened = queue.claims();

    clock.advance(Duration.ofSeconds(10));
    assertThat(relay.deliverDue()).isZero();

    assertThat(queue.claims()).as("nothing claimed while open").isEqualTo(claimsWhenOpened);
    assertThat(client.batches()).hasSize(2);
    assertThat(queue.row(id).attempts()).isEqualTo(2);
    assertThat(queue.row(id).dead()).as("the third and last attempt is still to come").isFalse();
  }

  @Test
  void changesClaimedWhileTheHalfOpenTrialIsInFlightAreReleasedWithoutAnAttempt() {
    // opens after one failure; a zero delay makes the next claim the half-open trial, with a single permit
    CircuitBreaker<Object> halfOpensAtOnce =
        CircuitBreaker.builder().withFailureThreshold(1).withDelay(Duration.ZERO).withSuccessThreshold(1).build();
    DefaultRelay relay =
        relay(TEN_SECONDS_THREE_ATTEMPTS, RelayConfig.builder().withBatchSize(1).withCircuitBreaker(halfOpensAtOnce)
            .build());
    long trial = queue.append("users", "1", PAYLOAD);
    client.enqueue(failedRequest());
    relay.deliverDue();
    clock.advance(Duration.ofSeconds(10));
    long waiting = queue.append("users", "2", PAYLOAD);
    // while the trial is with the service, a second loop's cycle claims the other change
    client.enqueue(batch -> {
      assertThat(relay.deliverDue()).as("the second loop delivers nothing").isZero();
      return List.of(DeliveryResult.applied());
    });

    relay.deliverDue();

    assertThat(queue.row(trial).delivered()).isTrue();
    assertThat(queue.released()).containsExactly(waiting);
    assertThat(queue.row(waiting).attempts()).as("a release is no attempt").isZero();
    assertThat(queue.row(waiting).dueAt()).as("due again at once").isEqualTo(clock.instant());

    client.enqueueForEach(DeliveryResult.applied());
    relay.deliverDue();
    assertThat(queue.row(waiting).delivered()).as("the successful trial closed the circuit").isTrue();
  }

  @Test
  void aRetryIsDueAfterTheBackoffThatGrowsWithEachAttempt() {
    long id = queue.append("users", "1", PAYLOAD);
    client.enqueueForEach(DeliveryResult.retry(503, "busy")).enqueueForEach(DeliveryResult.retry(503, "busy"));
    DefaultRelay relay = relay(
        RetryPolicy.builder().withBackoff(Duration.ofSeconds(10), Duration.ofMinutes(1)).withMaxAttempts(5).build(),
        RelayConfig.defaults());

    relay.deliverDue();
    assertThat(queue.row(id).dueAt()).isEqualTo(START.plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    relay.deliverDue();

    assertThat(queue.row(id).attempts()).isEqualTo(2);
    assertThat(queue.row(id).dueAt()).isEqualTo(START.plusSeconds(10 + 20));
    assertThat(queue.row(id).dead()).isFalse();
    assertThat(queue.row(id).status()).isEqualTo(503);
    assertThat(listener.retriesScheduledAt).containsExactly(START.plusSeconds(10), START.plusSeconds(30));
  }

  @Test
  void aRandomDelayDecidesWhenTheRetryIsDue() {
    long id = queue.append("users", "1", PAYLOAD);
    client.enqueueForEach(DeliveryResult.retry(503, "busy"));
    relay(RetryPolicy.builder().withDelay(Duration.ofMinutes(1), Duration.ofMinutes(2)).withMaxAttempts(3).build(),
        RelayConfig.defaults()).deliverDue();

    assertThat(queue.row(id).dueAt()).isBetween(START.plusSeconds(60), START.plusSeconds(120));
  }

  @ParameterizedTest
  @ValueSource(strings = {"withMaxAttempts(2)", "withMaxRetries(1)"})
  void aChangeIsDeadLetteredWhenItsLastAttemptFails(String limit) {
    RetryPolicy<Object> twoAttempts = limit.equals("withMaxAttempts(2)")
        ? RetryPolicy.builder().withDelay(Duration.ofSeconds(10)).withMaxAttempts(2).build()
        : RetryPolicy.builder().withDelay(Duration.ofSeconds(10)).withMaxRetries(1).build();
    long id = queue.append("users", "1", PAYLOAD);
    client.enqueueForEach(DeliveryResult.retry(503, "busy")).enqueueForEach(DeliveryResult.retry(503, "busy"));
    DefaultRelay relay = relay(twoAttempts, RelayConfig.defaults());

    relay.deliverDue();
    assertThat(queue.row(id).dead()).isFalse();
    clock.advance(Duration.ofSeconds(10));
    relay.deliverDue();

    assertThat(queue.row(id).dead()).isTrue();
    assertThat(queue.row(id).attempts()).isEqualTo(2);
    assertThat(queue.row(id).error()).isEqualTo("gave up after 2 attempts; last error: busy");
    assertThat(listener.deadLettered).containsExactly(id);
  }

  @Test
  void aRejectedChangeIsDeadLetteredAtOnceWhateverAttemptsAreLeft() {
    long rejected = queue.append("users", "1", PAYLOAD);
    long applied = queue.append("users", "2", PAYLOAD);
    client.enqueue(batch -> List.of(DeliveryResult.rejected(422, "invalid name"), DeliveryResult.applied()));

    relay(TEN_SECONDS_THREE_ATTEMPTS, RelayConfig.defaults()).deliverDue();

    assertThat(queue.row(rejected).dead()).isTrue();
    assertThat(queue.row(rejected).attempts()).isEqualTo(1);
    assertThat(queue.row(rejected).status()).isEqualTo(422);
    assertThat(queue.row(rejected).error()).isEqualTo("invalid name");
    assertThat(queue.row(applied).delivered()).isTrue();
  }

  @Test
  void aRetryPolicysMaxDurationFromTheCommitCapsTheLastRetryAndThenDeadLetters() {
    long id = queue.append("users", "1", PAYLOAD);
    for (int i = 0; i < 3; i++) {
      client.enqueueForEach(DeliveryResult.retry(503, "busy"));
    }
    DefaultRelay relay = relay(RetryPolicy.builder().withDelay(Duration.ofMinutes(1)).withMaxAttempts(100)
        .withMaxDuration(Duration.ofSeconds(90)).build(), RelayConfig.defaults());

    relay.deliverDue();
    assertThat(queue.row(id).dueAt()).isEqualTo(START.plusSeconds(60));
    clock.advance(Duration.ofSeconds(60));
    relay.deliverDue();
    assertThat(queue.row(id).dueAt()).as("the last retry comes at the max duration").isEqualTo(START.plusSeconds(90));
    clock.advance(Duration.ofSeconds(30));
    relay.deliverDue();

    assertThat(queue.row(id).dead()).isTrue();
    assertThat(queue.row(id).attempts()).isEqualTo(3);
    assertThat(queue.row(id).error()).isEqualTo("gave up after 3 attempts: the retry policy's max duration (PT1M30S"
        + " from the change's commit) has passed; last error: busy");
  }

  @Test
  void theErrorRecordedForARejectedChangeHasNoSensitiveValue() {
    long id = queue.append("users", "1", PAYLOAD);
    client.enqueueForEach(DeliveryResult.rejected(409, "email " + EMAIL + " is taken (name Ann)"));

    relay(TEN_SECONDS_THREE_ATTEMPTS, RelayConfig.defaults()).deliverDue();

    assertThat(queue.row(id).error()).isEqualTo("email *** is taken (name Ann)");
    assertThat(listener.errors).containsExactly("email *** is taken (name Ann)");
  }

  @Test
  void theErrorRecordedForAFailedRequestHasNoSensitiveValue() {
    long id = queue.append("users", "1", PAYLOAD);
    client.enqueue(batch -> {
      throw new TargetException(500, "cannot store " + EMAIL, null);
    });

    relay(TEN_SECONDS_THREE_ATTEMPTS, RelayConfig.defaults()).deliverDue();

    assertThat(queue.row(id).error()).isEqualTo("cannot store ***");
    assertThat(queue.row(id).status()).isEqualTo(500);
    assertThat(listener.errors).containsExactly("cannot store ***");
  }

  @Test
  void drainWithoutLoopsDeliversUntilNothingIsPending() {
    long first = queue.append("users", "1", PAYLOAD);
    long second = queue.append("users", "2", PAYLOAD);
    client.enqueueForEach(DeliveryResult.applied()).enqueueForEach(DeliveryResult.stale());

    boolean drained = relay(TEN_SECONDS_THREE_ATTEMPTS, RelayConfig.builder().withBatchSize(1).build())
        .drain(Duration.ofMinutes(1));

    assertThat(drained).isTrue();
    assertThat(queue.row(first).delivered()).isTrue();
    assertThat(queue.row(second).delivered()).as("a stale change counts as delivered").isTrue();
    assertThat(listener.delivered).containsExactly(first, second);
  }

  private DefaultRelay relay(RetryPolicy<Object> retryPolicy, RelayConfig config) {
    EntityMigration users =
        EntityMigration.builder("users").withSensitiveFields("email").withRetryPolicy(retryPolicy).build();
    return new DefaultRelay(queue, client, Map.of("users", users), config, listener, clock, "node-1");
  }

  private static RelayConfig breaker(CircuitBreaker<Object> breaker) {
    return RelayConfig.builder().withCircuitBreaker(breaker).build();
  }

  private static Function<List<OutboxEntry>, List<DeliveryResult>> failedRequest() {
    return batch -> {
      throw new TargetException(503, "service unavailable", null);
    };
  }

  /** Remembers what the relay told its listener. */
  private static final class RecordingListener implements MirrorListener {
    final List<Long> delivered = new ArrayList<>();
    final List<Instant> retriesScheduledAt = new ArrayList<>();
    final List<Long> deadLettered = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override
    public void onDelivered(List<OutboxEntry> entries, Instant at) {
      entries.forEach(entry -> delivered.add(entry.id()));
    }

    @Override
    public void onRetryScheduled(OutboxEntry entry, Integer status, String error, Instant nextAttemptAt) {
      retriesScheduledAt.add(nextAttemptAt);
      errors.add(error);
    }

    @Override
    public void onDeadLettered(OutboxEntry entry, Integer status, String error) {
      deadLettered.add(entry.id());
      errors.add(error);
    }
  }

}

package dev.dualwrite.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.EntityMigration;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the relay's loops share work: a nudge wakes one idle loop when none is delivering, a full claim wakes another.
 * The loops poll once a minute here, so only a wake-up can explain a claim within the test.
 */
class AdaptiveLoopsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final StubDeliveryQueue queue = new StubDeliveryQueue(Clock.systemUTC());
  private final GatedTarget target = new GatedTarget();
  private DefaultRelay relay;

  @AfterEach
  void stop() {
    target.open();
    if (relay != null) {
      relay.close();
    }
  }

  private void start(int batchSize) {
    RelayConfig config = RelayConfig.builder().withConcurrency(2).withBatchSize(batchSize)
        .withPollInterval(Duration.ofMinutes(1)).build();
    relay = new DefaultRelay(queue, target, Map.of("users", EntityMigration.builder("users").build()), config,
        new MirrorListener() {}, Clock.systemUTC(), "node-1");
    relay.start();
    await().atMost(WAIT).until(() -> relay.idleLoops() == 2); // both loops looked once, found nothing, and wait
  }

  @Test
  void aFullClaimWakesTheOtherLoopSoABacklogIsDeliveredByBoth() {
    start(2);
    for (int i = 1; i <= 4; i++) {
      queue.append("users", String.valueOf(i), "{}");
    }

    relay.nudge();

    await().atMost(WAIT).until(() -> target.inFlight.get() == 2);
    assertThat(target.batches).hasSize(2).allSatisfy(batch -> assertThat(batch).hasSize(2));
  }

  @Test
  void commitsWhileALoopDeliversRideItsNextBatchInsteadOfWakingTheOther() {
    start(100);
    queue.append("users", "1", "{}");
    relay.nudge();
    await().atMost(WAIT).until(() -> target.inFlight.get() == 1);

    for (int i = 2; i <= 4; i++) {
      queue.append("users", String.valueOf(i), "{}");
      relay.nudge();
    }
    target.open();

    await().atMost(WAIT).until(() -> target.delivered.get() == 4);
    assertThat(target.batches).extracting(List::size).as("one batch of what came during the first")
        .containsExactly(1, 3);
  }

  /** Holds every delivery until opened; counts what is in flight. */
  private static final class GatedTarget implements TargetClient {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger delivered = new AtomicInteger();
    final List<List<OutboxEntry>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    void open() {
      gate.countDown();
    }

    @Override
    public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
      batches.add(List.copyOf(changes));
      inFlight.incrementAndGet();
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      delivered.addAndGet(changes.size());
      return changes.stream().map(change -> DeliveryResult.applied()).toList();
    }

    @Override
    public void close() {}
  }
}

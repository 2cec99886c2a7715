package dev.dualwrite.read;

import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shadow reads run beside the caller, never in its way, and never pile up. */
class ShadowReadsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ReadTestNode node = ReadTestNode.comparingEveryRead().in(SHADOW_READS);
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<ThreadPoolExecutor> executors = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    for (ThreadPoolExecutor executor : executors) {
      executor.shutdown();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    node.close();
  }

  /**
   * A new-service read that answers "same" once the test releases it (or after 10 s, so that a router that waits for
   * it fails the test rather than hanging it); counts down {@code started} first and {@code finished} last.
   */
  private Supplier<String> slowNewRead(CountDownLatch started, CountDownLatch finished) {
    return () -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.countDown();
      return "same";
    };
  }

  private Supplier<String> slowNewRead(CountDownLatch started) {
    return slowNewRead(started, new CountDownLatch(1));
  }

  private ThreadPoolExecutor executor(int threads, int queue) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queue));
    executors.add(executor);
    return executor;
  }

  @Test
  void theCallerGetsItsAnswerWhileTheSlowShadowReadIsStillRunning() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    try (ReadRouter router = node.router().build()) {

      String value = router.read("7", () -> "same", slowNewRead(started, finished));

      assertThat(value).isEqualTo("same");
      assertThat(finished.getCount()).as("the shadow read is still running when the caller has its answer")
          .isEqualTo(1);
      assertThat(started.await(10, TimeUnit.SECONDS)).as("the shadow read ran").isTrue();
      assertThat(router.stats().compared().count()).isZero();
      release.countDown();
      await().atMost(WAIT).until(() -> router.stats().matched().count() == 1);
    }
  }

  @Test
  void shadowReadsBeyondTheExecutorsCapacityAreDroppedAndCounted() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    List<String> droppedKeys = new CopyOnWriteArrayList<>();
    try (ReadRouter router = node.router()
        .withShadowExecutor(executor(1, 1))
        .onReadEvent(new ReadListener() {
          @Override
          public void onDropped(String entity, String key) {
            droppedKeys.add(key);
          }
        })
        .build()) {

      router.read("1", () -> "same", slowNewRead(started));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      for (int key = 2; key <= 5; key++) {
        assertThat(router.read(String.valueOf(key), () -> "same", slowNewRead(new CountDownLatch(1))))
            .isEqualTo("same");
      }

      // 1 runs, 2 waits in the queue of one, 3 to 5 are dropped
      assertThat(router.stats().dropped()).isEqualTo(3);
      assertThat(droppedKeys).containsExactly("3", "4", "5");
      release.countDown();
      await().atMost(WAIT).until(() -> router.stats().compared().count() == 2);
      assertThat(router.stats().matched().count()).isEqualTo(2);
    }
  }

  @Test
  void theRoutersOwnExecutorRunsTwoAndHoldsSixtyFourWaiting() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(ReadRouterBuilder.DEFAULT_SHADOW_THREADS);
    try (ReadRouter router = node.router().build()) {

      for (int key = 0; key < 70; key++) {
        router.read(key, () -> "same", slowNewRead(started));
      }

      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(router.stats().dropped())
          .isEqualTo(70 - ReadRouterBuilder.DEFAULT_SHADOW_THREADS - ReadRouterBuilder.DEFAULT_SHADOW_QUEUE);
      release.countDown();
      await().atMost(WAIT).until(() -> router.stats().matched().count() == 66);
    }
  }

  @Test
  void aShadowReadSlowerThanTheTimeoutIsComparedAsATimeout() {
    List<Mismatch> mismatches = new CopyOnWriteArrayList<>();
    try (ReadRouter router = node.router()
        .withShadowTimeout(Duration.ofMillis(50))
        .onReadEvent(new ReadListener() {
          @Override
          public void onMismatched(Mismatch mismatch) {
            mismatches.add(mismatch);
          }
        })
        .build()) {

      assertThat(router.read("9", () -> "same", slowNewRead(new CountDownLatch(1)))).isEqualTo("same");

      await().atMost(WAIT).until(() -> mismatches.size() == 1);
      Mismatch mismatch = mismatches.get(0);
      assertThat(mismatch.newService().failure()).startsWith(TimeoutException.class.getSimpleName());
      assertThat(mismatch.read().newLatency()).isEqualTo(Duration.ofMillis(50));
      assertThat(mismatch.legacy().snapshot().asText()).isEqualTo("same");
    }
  }

  @Test
  void aShadowReadCutShortByClosingTheRouterIsNeitherComparedNorAMismatch() throws InterruptedException {
    List<Mismatch> mismatches = new CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    ReadRouter router = node.router()
        .onReadEvent(new ReadListener() {
          @Override
          public void onMismatched(Mismatch mismatch) {
            mismatches.add(mismatch);
          }
        })
        .build();
    // a store client that turns the interruption into its own failure, as JDBC and HTTP clients do
    Supplier<String> interruptible = () -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
        return "same";
      } catch (InterruptedException e) {
        throw new IllegalStateException("read interrupted", e);
      } finally {
        finished.countDown();
      }
    };

    assertThat(router.read("11", () -> "same", interruptible)).isEqualTo("same");
    assertThat(started.await(10, TimeUnit.SECONDS)).as("the shadow read ran").isTrue();
    router.close();

    assertThat(finished.getCount()).as("closing interrupted the shadow read and waited for it").isZero();
    assertThat(release.getCount()).as("it was cut short, not released").isEqualTo(1);
    assertThat(router.stats().compared().count()).isZero();
    assertThat(router.stats().mismatched().count()).isZero();
    assertThat(mismatches).isEmpty();
  }

  @Test
  void readsAreSampledAtTheEntitysRate() {
    try (ReadTestNode sampledNever = ReadTestNode.with(e -> e.withShadowSampleRate(0)).in(SHADOW_READS);
        ReadRouter router = sampledNever.router().withShadowExecutor(Runnable::run).build()) {

      for (int key = 0; key < 100; key++) {
        router.read(key, () -> "legacy", () -> {
          throw new AssertionError("the new service is read only for sampled reads");
        });
      }

      assertThat(router.stats().servedByLegacy()).isEqualTo(100);
      assertThat(router.stats().compared().count()).isZero();
    }
  }
}

package dev.dualwrite.read;

import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.phase.Store;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** In NEW_READS the new service serves a share of keys chosen by key hash: the same keys every time. */
class CanaryRoutingTest {
  private static final int KEYS = 10_000;

  /**
   * The ids among 1..10,000 whose reads the new service served, each read once through {@code router} (whose entity
   * samples no reads: a shadow read would call the new side too).
   */
  private static Set<Long> servedByNew(ReadRouter router) {
    Set<Long> fromNew = new HashSet<>();
    for (long id = 1; id <= KEYS; id++) {
      long key = id;
      router.read(key, () -> "legacy", () -> {
        fromNew.add(key);
        return "new";
      });
    }
    return fromNew;
  }

  @Test
  void tenPercentSendsTenPercentOfKeysToTheNewServiceAndTheSameKeysEveryTime() {
    try (ReadTestNode node = ReadTestNode.with(e -> e.withCanaryPercent(10).withShadowSampleRate(0)).in(NEW_READS);
        ReadRouter router = node.router().build()) {

      Set<Long> first = servedByNew(router);
      Set<Long> second = servedByNew(router);

      assertThat(first.size()).isBetween(800, 1200);
      assertThat(second).isEqualTo(first);
      assertThat(router.stats().servedByNew()).isEqualTo(2L * first.size());
      assertThat(IntStream.rangeClosed(1, KEYS).filter(id -> router.storeFor((long) id) == Store.NEW).count())
          .isEqualTo(first.size());
    }
  }

  @Test
  void raisingTheCanaryToFiftyPercentKeepsEveryKeyAlreadyOnTheNewService() {
    try (ReadTestNode node = ReadTestNode.with(e -> e.withCanaryPercent(10).withShadowSampleRate(0)).in(NEW_READS);
        ReadRouter router = node.router().build()) {
      Set<Long> atTen = servedByNew(router);

      node.dualWrite.phases().setCanaryPercent("users", 50, "lead@example.com", "widen the canary");
      Set<Long> atFifty = servedByNew(router);

      assertThat(atFifty.size()).isBetween(4800, 5200);
      assertThat(atFifty).containsAll(atTen);
    }
  }

  @Test
  void stringKeysSpreadAsEvenlyAsNumbers() {
    try (ReadTestNode node = ReadTestNode.with(e -> e.withCanaryPercent(10)).in(NEW_READS);
        ReadRouter router = node.router().build()) {

      long uuids = IntStream.range(0, KEYS).filter(i -> router.storeFor(UUID.randomUUID()) == Store.NEW).count();
      long names = IntStream.range(0, KEYS).filter(i -> router.storeFor("user-" + i) == Store.NEW).count();

      assertThat(uuids).isBetween(800L, 1200L);
      assertThat(names).isBetween(800L, 1200L);
    }
  }

  @Test
  void zeroAndOneHundredPercentAreNoneAndAll() {
    try (ReadTestNode node = ReadTestNode.with(e -> e.withCanaryPercent(0).withShadowSampleRate(0)).in(NEW_READS);
        ReadRouter router = node.router().build()) {

      assertThat(servedByNew(router)).isEmpty();
      node.dualWrite.phases().setCanaryPercent("users", 100, "lead", "all in");
      assertThat(servedByNew(router)).hasSize(KEYS);
    }
  }
}

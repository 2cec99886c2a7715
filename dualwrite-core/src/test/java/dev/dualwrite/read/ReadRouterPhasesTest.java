package dev.dualwrite.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Store;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each phase does with a read: which store is read, whose value the caller gets, whether it is compared. */
class ReadRouterPhasesTest {

  @ParameterizedTest(name = "{0}: served by {1}, legacy read {2}x, new read {3}x, compared {4}")
  @CsvSource({
      // phase,      served, legacy reads, new reads, compared
      "LEGACY_ONLY,  LEGACY, 1,            0,         0",
      "DUAL_WRITE,   LEGACY, 1,            0,         0",
      "SHADOW_READS, LEGACY, 1,            1,         1",
      "NEW_READS,    NEW,    1,            1,         1",
      "NEW_WRITES,   NEW,    0,            1,         0",
      "NEW_ONLY,     NEW,    0,            1,         0",
  })
  void eachPhaseReadsComparesAndServesAsTheDesignSays(
      MigrationPhase phase, Store servedBy, int legacyReads, int newReads, int comparisons) {
    AtomicInteger legacyCalls = new AtomicInteger();
    AtomicInteger newCalls = new AtomicInteger();
    try (ReadTestNode node = ReadTestNode.comparingEveryRead().in(phase);
        ReadRouter router = node.router().withShadowExecutor(Runnable::run).build()) {

      String value = router.read(42L, () -> {
        legacyCalls.incrementAndGet();
        return "from legacy";
      }, () -> {
        newCalls.incrementAndGet();
        return "from new";
      });

      assertThat(value).isEqualTo(servedBy == Store.LEGACY ? "from legacy" : "from new");
      assertThat(router.storeFor(42L)).isEqualTo(servedBy);
      assertThat(legacyCalls).hasValue(legacyReads);
      assertThat(newCalls).hasValue(newReads);
      ReadStats stats = router.stats();
      assertThat(stats.compared().count()).isEqualTo(comparisons);
      assertThat(stats.mismatched().count()).as("the stores answered differently").isEqualTo(comparisons);
      assertThat(servedBy == Store.LEGACY ? stats.servedByLegacy() : stats.servedByNew()).isEqualTo(1);
    }
  }
}

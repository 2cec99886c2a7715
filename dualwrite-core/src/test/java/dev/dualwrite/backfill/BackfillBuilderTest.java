package dev.dualwrite.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.legacy.StubLegacySource;
import dev.dualwrite.phase.spi.PhaseStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackfillBuilderTest {
  private final DualWrite withoutDatabase = DualWrite.builder()
      .withPhaseStore(PhaseStore.inMemory())
      .withEntity(EntityMigration.builder("users").build())
      .build();

  @AfterEach
  void close() {
    withoutDatabase.close();
  }

  private BackfillBuilder users() {
    return Backfill.builder(withoutDatabase, StubLegacySource.of("users"));
  }

  @Test
  void aLambdaHearsEveryChunkTheLastOneIncluded() {
    List<BackfillProgress> heard = new ArrayList<>();
    BackfillListener listener = heard::add;
    BackfillProgress chunk =
        new BackfillProgress("users", 1000, 1000, 5000, 1000, Duration.ofSeconds(1), "1000", false);
    BackfillProgress last = new BackfillProgress("users", 2000, 2000, 5000, 0, Duration.ZERO, "2000", true);

    listener.onProgress(chunk);
    listener.onFinished(last);
    users().onProgress(p -> heard.add(p)); // the builder takes a lambda, as the docs show

    assertThat(heard).containsExactly(chunk, last);
  }

  @Test
  void boundsTheChunkSize() {
    for (int bad : new int[] {0, -1, 10_001}) {
      assertThatThrownBy(() -> users().withChunkSize(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("chunkSize of the backfill of 'users' is " + bad + "; allowed: 1 to 10000 rows");
    }
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> users().withRowsPerSecond(-5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rowsPerSecond of the backfill of 'users' is -5; allowed: 0 (no limit) or more");
  }

  @Test
  void boundsTheProgressLogInterval() {
    for (Duration bad : new Duration[] {null, Duration.ofMillis(999), Duration.ofHours(2)}) {
      assertThatThrownBy(() -> users().withProgressLogInterval(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("progressLogInterval of the backfill of 'users' is " + bad
              + "; allowed: from 1 second (PT1S) to 1 hour (PT1H)");
    }
  }

  @Test
  void needsAConfiguredEntityADualWriteASourceAndAnOutbox() {
    assertThatThrownBy(() -> Backfill.builder(withoutDatabase, StubLegacySource.of("orders")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown entity 'orders'; configured entities are [users]");
    assertThatThrownBy(() -> Backfill.builder(null, StubLegacySource.of("users")).build())
        .hasMessage("dualWrite is null; build one with DualWrite.builder()");
    assertThatThrownBy(() -> Backfill.builder(withoutDatabase, null).build())
        .hasMessageStartingWith("legacy source is null; for a Hibernate entity use DualWriteHibernate.legacySource(");
    assertThatThrownBy(() -> users().onProgress(null))
        .hasMessage("backfill listener is null");
    assertThatThrownBy(() -> users().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no outbox: configure withDataSource(...) with the monolith's database");
  }

  @Test
  void progressDescribesRowsRateAndTimeLeftInOneLine() {
    BackfillProgress running = new BackfillProgress("users", 50_000, 20_000, 21_034.4, 50_000,
        Duration.ofMillis(2400), "50000", false);
    BackfillProgress done = new BackfillProgress("users", 100_000, 100_000, 20_000, 0, Duration.ZERO, "100000", true);

    assertThat(running.describe()).isEqualTo("backfill users: 50000 rows done, 21034 rows/s, about 50000 left (2 s)");
    assertThat(done.describe()).isEqualTo("backfill users: 100000 rows done, 20000 rows/s, finished");
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verification of a table that differs everywhere, while live writes keep touching some of its keys (a few of them
 * many times a second, and some whose copies refuse every write): the suspects of a chunk settle together, so the work
 * grows with the table, not with how much of it differs or how often it is written. Only keys that keep being written
 * and whose copies take the writes may end in flight.
 */
class ManyDifferencesTest {
  private static final Logger log = LoggerFactory.getLogger(ManyDifferencesTest.class);
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final int ROWS = 3000;
  private static final int CHUNK = 500;

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aTableThatDiffersEverywhereUnderLiveWritesIsVerifiedWithWorkProportionalToItsSize(TestDatabase db)
      throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, ROWS);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      Backfill.builder(app.dualWrite, users).build().run();
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
      List<Long> warm = LongStream.rangeClosed(1, ROWS).filter(id -> id % 10 == 0).boxed().toList();
      List<Long> hot = LongStream.rangeClosed(0, ROWS / CHUNK - 1).map(i -> i * CHUNK + 255).boxed().toList();
      List<Long> written = new ArrayList<>(warm); // about half the writes go to one hot key in each chunk
      for (int i = 0; i < warm.size() / hot.size(); i++) {
        written.addAll(hot);
      }
      for (long id = 1; id <= ROWS; id++) {
        // every copy differs: most under the version they hold, so that a live write replaces them; every 20th under
        // a version above dualwrite's sequence, so that the service answers each live write of it STALE
        StoredDocument held = service.document("users", Long.toString(id)).orElseThrow();
        long version = id % 20 == 0 ? 1_000_000_000_000L + id : held.version();
        service.plant("users", held.id(), version, ((ObjectNode) held.data()).put("name", "Planted"));
      }
      LiveTraffic traffic = LiveTraffic.renaming(app, written, 300);
      int writesPerChunk = 20;
      // each legacy chunk is held until the writers made more writes, so writes hit the keys while they are walked
      RecordingSource recording = new RecordingSource(users).afterScan(chunk -> {
        if (!chunk.isEmpty()) {
          traffic.awaitMoreWrites(writesPerChunk);
        }
      });
      Verifier verifier = Verifier.builder(app.dualWrite, recording).withChunkSize(CHUNK).build();

      service.respondSlowly(Duration.ofMillis(50)); // a service at some distance: each delivery takes a while
      traffic.start(3);
      long writesBefore = traffic.writes();
      long started = System.nanoTime();
      VerificationReport report;
      try {
        report = verifier.verify();
      } finally {
        traffic.stop();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      log.info("{} inFlight={} on {}: {} s ({} rows/s), {} live writes, {} keys looked up in {} lookups",
          report.summary(), report.inFlight(), db.kind(), String.format("%.1f", seconds), Math.round(ROWS / seconds),
          traffic.writes() - writesBefore, recording.keysLookedUp(), recording.lookups());

      long chunks = ROWS / CHUNK;
      assertThat(traffic.writes() - writesBefore).as("live writes during the walk").isGreaterThanOrEqualTo(
          chunks * writesPerChunk);
      assertThat(report.finished()).isTrue();
      assertThat(report.compared()).as("each legacy row compared once").isEqualTo(ROWS);
      assertThat(report.missing()).isZero();
      assertThat(report.extra()).isZero();
      assertThat(report.different()).as("keys no one writes, and keys whose copy refuses every write, differ for real")
          .isGreaterThanOrEqualTo(ROWS - warm.size() / 2 - hot.size());
      assertThat(report.different() + report.inFlight()).as("each key counted at most once").isLessThanOrEqualTo(ROWS);
      assertThat(recording.keysLookedUp()).as("keys re-checked, in all: about one re-check per differing key")
          .isLessThanOrEqualTo(2L * ROWS);
      assertThat(recording.lookups()).as("rounds of re-checks, each one bulk read of a chunk's unsettled keys")
          .isLessThanOrEqualTo(chunks * 8);
    }
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.snapshot.Difference;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import dev.dualwrite.verify.RowDifference;
import dev.dualwrite.verify.UnrepairedKey;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verifier and its repair end to end, on a real database and a real loopback service. */
class VerificationTest {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  /** Legacy rows 1..{@code rows} of the entity, backfilled and delivered. */
  private LegacySource migrated(MirrorFixture app, TestDatabase db, String entity, int rows) {
    app.moveTo(entity, DUAL_WRITE);
    if (entity.equals("users")) {
      LegacyRows.insertUsers(db, 1, rows);
    } else {
      LegacyRows.insertNotes(db, 1, rows);
    }
    LegacySource source = DualWriteHibernate.legacySource(app.sessions, entity);
    Backfill.builder(app.dualWrite, source).build().run();
    assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
    return source;
  }

  @DatabaseTest
  void verificationFindsEachPlantedDifferenceAndRepairFixesThem(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(app, db, "users", 1000);
      app.sessions.inTransaction(s -> s.find(User.class, 50L).setName("Fifty"));
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
      Verifier verifier = Verifier.builder(app.dualWrite, users).withChunkSize(200).build();
      assertThat(verifier.verify().summary()).isEqualTo("verify users: compared=1000 missing=0 extra=0 different=0");

      service.remove("users", "10");
      service.plant("users", "5000", 3, json("{\"id\":5000,\"name\":\"Ghost\"}"));
      plantChanged("users", "20", "name", "Planted", 0);
      plantChanged("users", "30", "email", "leaked@example.com", 0);
      plantChanged("users", "50", "name", "User 50", 0);
      VerificationReport found = verifier.verify();

      assertThat(found.summary()).isEqualTo("verify users: compared=1000 missing=1 extra=1 different=3");
      assertThat(found.samples().missing()).containsExactly("10");
      assertThat(found.samples().extra()).containsExactly("5000");
      assertThat(found.samples().different()).containsExactly(
          new RowDifference("20", 0, List.of(new Difference("/name", "\"User 20\"", "\"Planted\""))),
          new RowDifference("30", 0, List.of(new Difference("/email", "***", "***"))),
          new RowDifference("50", 0, List.of(new Difference("/name", "\"Fifty\"", "\"User 50\""))));
      assertThat(found.describe()).doesNotContain("leaked").doesNotContain("user30@example.com");
      assertThat(found.isClean()).isFalse();

      VerificationReport repair = verifier.repair();
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
      VerificationReport after = verifier.verify();

      assertThat(repair.summary()).isEqualTo(found.summary());
      assertThat(repair.repaired()).isEqualTo(5);
      assertThat(repair.notRepaired()).isZero();
      assertThat(after.summary()).isEqualTo("verify users: compared=1000 missing=0 extra=0 different=0");
      assertThat(after.isClean()).isTrue();
      assertThat(verifier.lastReport()).contains(after);
      assertThat(app.count("SELECT COUNT(*) FROM dualwrite_outbox WHERE origin = 'REPAIR'")).isEqualTo(5);
      // repair snapshots carry fresh versions (their outbox row ids), so they beat every planted copy, and legacy is
      // left as it was
      long repairedVersion = DualWriteTables.lastOutboxRow(db, "users", "20").id();
      assertThat(LegacyRows.userVersion(db, 20)).isZero();
      assertThat(service.document("users", "20").orElseThrow().version()).isEqualTo(repairedVersion);
      assertThat(service.document("users", "20").orElseThrow().data().path("name").asText()).isEqualTo("User 20");
      assertThat(service.document("users", "5000")).hasValueSatisfying(d -> {
        assertThat(d.deleted()).isTrue();
        assertThat(d.version()).isEqualTo(DualWriteTables.lastOutboxRow(db, "users", "5000").id());
      });
    }
  }

  @DatabaseTest
  void walkingBothStoresSideBySideFindsWhatLookingKeysUpFindsWithoutLookingEachKeyUp(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(app, db, "users", 1000);
      assertThat(users.scansInListingOrder()).as("integer ids are scanned in the listing order").isTrue();
      service.remove("users", "10");
      service.remove("users", "1000");
      service.plant("users", "-5", 1, json("{\"id\":-5,\"name\":\"Before the first\"}"));
      service.plant("users", "5000", 1, json("{\"id\":5000,\"name\":\"After the last\"}"));
      service.plant("users", "not-a-number", 1, json("{\"name\":\"Sorted after every number\"}"));
      plantChanged("users", "20", "name", "Planted", 0);
      plantChanged("users", "400", "name", "Planted", 0);
      db.execute("DELETE FROM app_users WHERE id = 700"); // behind dualwrite's back: the copy becomes an extra

      RecordingSource sideBySide = new RecordingSource(users);
      RecordingSource lookingUp = new RecordingSource(users).notInListingOrder();
      VerificationReport walked = Verifier.builder(app.dualWrite, sideBySide).withChunkSize(300).build().verify();
      VerificationReport lookedUp = Verifier.builder(app.dualWrite, lookingUp).withChunkSize(300).build().verify();

      for (VerificationReport report : List.of(walked, lookedUp)) {
        assertThat(report.summary()).isEqualTo("verify users: compared=999 missing=2 extra=4 different=2");
        assertThat(report.samples().missing()).containsExactlyInAnyOrder("10", "1000");
        assertThat(report.samples().extra()).containsExactlyInAnyOrder("-5", "700", "5000", "not-a-number");
        assertThat(report.samples().different()).extracting(RowDifference::id).containsExactlyInAnyOrder("20", "400");
      }
      assertThat(lookingUp.keysLookedUp()).as("every listed key looked up in legacy").isGreaterThanOrEqualTo(1000);
      assertThat(sideBySide.keysLookedUp()).as("only the suspects' re-checks and the keys after legacy's last")
          .isLessThan(30);
    }
  }

  @DatabaseTest
  void moreListedCopiesBetweenTwoLegacyKeysThanAChunkHoldsAreAllCountedAsExtra(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(app, db, "users", 100);
      for (int id = -1; id >= -250; id--) {
        service.plant("users", Integer.toString(id), 1, json("{\"id\":" + id + "}"));
      }

      VerificationReport report = Verifier.builder(app.dualWrite, users).withChunkSize(40).build().verify();

      assertThat(report.summary()).isEqualTo("verify users: compared=100 missing=0 extra=250 different=0");
    }
  }

  @DatabaseTest
  void anEntityWithoutVersionIsVerifiedAndRepairedWithOutboxVersions(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource notes = migrated(app, db, "notes", 300);
      Verifier verifier = Verifier.builder(app.dualWrite, notes).build();
      service.remove("notes", "7");
      service.plant("notes", "900", 1, json("{\"id\":900,\"text\":\"ghost\"}"));
      plantChanged("notes", "8", "text", "changed", service.document("notes", "8").orElseThrow().version());

      VerificationReport found = verifier.repair();
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();

      assertThat(found.summary()).isEqualTo("verify notes: compared=300 missing=1 extra=1 different=1");
      assertThat(found.repaired()).isEqualTo(3);
      assertThat(verifier.verify().isClean()).isTrue();
      assertThat(service.document("notes", "8").orElseThrow().data().path("text").asText()).isEqualTo("note 8");
    }
  }

  @DatabaseTest
  void aCopyNewerThanLegacyIsNotRepairedAndIsReportedWithWhatToDo(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(app, db, "users", 100);
      Verifier verifier = Verifier.builder(app.dualWrite, users).build();
      plantChanged("users", "20", "name", "From the future", 1_000_000_000_000L);

      VerificationReport repair = verifier.repair();
      VerificationReport stillDifferent = verifier.verify();
      service.remove("users", "20");
      VerificationReport converged = verifier.repair();

      assertThat(repair.different()).isEqualTo(1);
      assertThat(repair.repaired()).as("the fresh snapshot was delivered and answered STALE").isZero();
      assertThat(repair.notRepaired()).isEqualTo(1);
      assertThat(repair.samples().notRepaired()).extracting(UnrepairedKey::id).containsExactly("20");
      assertThat(repair.describe()).contains("\n  not repaired (1, first 1):\n    20: the new service holds a newer"
          + " version than dualwrite's sequence (v1000000000000) and answered STALE; find what wrote that copy,"
          + " remove it from the new service, then repair again");
      assertThat(DualWriteTables.lastOutboxRow(db, "users", "20").origin()).as("the repair was sent")
          .isEqualTo("REPAIR");
      assertThat(stillDifferent.different()).isEqualTo(1);
      assertThat(converged.missing()).isEqualTo(1);
      assertThat(converged.repaired()).as("after the copy is removed, repair re-sends it").isEqualTo(1);
      assertThat(converged.notRepaired()).isZero();
      assertThat(verifier.verify().isClean()).isTrue();
    }
  }

  @DatabaseTest
  void verificationUnderLiveWriteTrafficReportsNoFalseDifferences(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      int rows = 2000;
      int writesPerChunk = 10;
      LiveTraffic traffic = new LiveTraffic(app, rows);
      AtomicInteger heldChunks = new AtomicInteger();
      // The walk holds each legacy chunk of the first rows until the writers have made more writes: writes overlap
      // every verification by construction, however fast or slow the machine. (Chunks of the ids the writers insert
      // are not held, or the walk would chase the inserts.)
      Consumer<List<LegacyRow>> holdForWrites = chunk -> {
        if (!chunk.isEmpty() && Long.parseLong(chunk.get(0).id()) <= rows) {
          heldChunks.incrementAndGet();
          traffic.awaitMoreWrites(writesPerChunk);
        }
      };
      LegacySource usersSource = migrated(app, db, "users", rows);
      LegacySource notesSource = migrated(app, db, "notes", rows);
      RecordingSource users = new RecordingSource(usersSource).afterScan(holdForWrites);
      RecordingSource notes = new RecordingSource(notesSource).afterScan(holdForWrites);
      Verifier usersVerifier = Verifier.builder(app.dualWrite, users).withChunkSize(100).build();
      Verifier notesVerifier = Verifier.builder(app.dualWrite, notes).withChunkSize(100).build();

      traffic.start(3);
      try {
        for (int round = 0; round < 2; round++) {
          for (Verifier verifier : List.of(usersVerifier, notesVerifier)) {
            int heldBefore = heldChunks.get();
            long writesBefore = traffic.writes();
            VerificationReport report = verifier.verify();
            long writesDuring = traffic.writes() - writesBefore;
            int held = heldChunks.get() - heldBefore;

            assertThat(report.describe()).as("round " + round).isEqualTo(report.summary());
            assertThat(report.isClean()).isTrue();
            assertThat(report.compared()).isGreaterThan(rows * 9 / 10);
            assertThat(held).as("chunks held for writes").isPositive();
            assertThat(writesDuring).as("live writes while verifying " + verifier.entity() + ", round " + round)
                .isGreaterThanOrEqualTo((long) held * writesPerChunk);
          }
        }
      } finally {
        traffic.stop();
      }
      DualWriteAssertions.assertStoresAgree(app.dualWrite, usersSource, WAIT);
      DualWriteAssertions.assertStoresAgree(app.dualWrite, notesSource, WAIT);
    }
  }

  @DatabaseTest
  void aSampledVerificationChecksAboutTheGivenShareOfKeys(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource notes = migrated(app, db, "notes", 2000);

      VerificationReport sampled = Verifier.builder(app.dualWrite, notes).withSampleRate(0.1).build().verify();

      assertThat(sampled.compared()).isBetween(100L, 320L);
      assertThat(sampled.isClean()).isTrue();
      assertThat(sampled.describe()).contains("sampled: 10.0 % of the keys were checked");
    }
  }

  @DatabaseTest
  void aVerificationKilledHalfWayResumesWhereItStopped(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(app, db, "users", 2000);
      service.remove("users", "100");
      service.remove("users", "1900");
      RecordingSource crashing = new RecordingSource(users).crashingAtScan(3);

      assertThatThrownBy(() -> Verifier.builder(app.dualWrite, crashing).build().verify())
          .isInstanceOf(DualWriteException.class)
          .hasMessageContaining("users: verification chunk after id 1000 failed");
      RecordingSource resumed = new RecordingSource(users);
      Verifier verifier = Verifier.builder(app.dualWrite, resumed).build();
      assertThat(verifier.lastReport()).as("the stopped run is not a result").isEmpty();
      VerificationReport report = verifier.verify();

      assertThat(resumed.scans().get(0).afterId()).isEqualTo("1000");
      assertThat(resumed.rowsScanned()).isEqualTo(1000);
      assertThat(report.summary()).isEqualTo("verify users: compared=2000 missing=2 extra=0 different=0");
      assertThat(report.samples().missing()).containsExactly("100", "1900");
      assertThat(verifier.lastReport()).contains(report);
    }
  }

  @DatabaseTest
  void aVerificationSharedByTwoNodesWithOneStoppedMidChunkCountsEveryKeyOnce(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    int rows = 6000;
    try (MirrorFixture first = MirrorFixture.start(db, service.baseUrl());
        MirrorFixture second = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(first, db, "users", rows);
      await().atMost(WAIT).until(() -> second.dualWrite.phases().state("users").phase() == DUAL_WRITE);
      for (String id : List.of("100", "2500", "4999", "6000")) {
        service.remove("users", id);
      }
      plantChanged("users", "3333", "name", "Planted", 0);
      db.execute("DELETE FROM app_users WHERE id = 1234"); // behind dualwrite's back: the copy becomes an extra
      service.plant("users", "9000", 1, json("{\"id\":9000,\"name\":\"After the last\"}"));
      // the first node stops dead in its first chunk, holding it and the chunk it claimed ahead, leases running: its
      // settling of the missing key 100 waits until the second node has finished the whole run
      CountDownLatch secondFinished = new CountDownLatch(1);
      AtomicBoolean stoppedOnce = new AtomicBoolean();
      RecordingSource stalling = new RecordingSource(users).beforeRead(ids -> {
        if (ids.contains("100") && stoppedOnce.compareAndSet(false, true)) {
          try {
            secondFinished.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      RecordingSource surviving = new RecordingSource(DualWriteHibernate.legacySource(second.sessions, "users"));
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        Future<VerificationReport> stalled = nodes.submit(() -> Verifier.builder(first.dualWrite, stalling)
            .withChunkSize(500).withSettleTimeout(Duration.ofMillis(500)).withChunkLease(Duration.ofSeconds(2))
            .build().verify());
        await().atMost(WAIT).until(stoppedOnce::get);
        Future<VerificationReport> survivor = nodes.submit(() -> Verifier.builder(second.dualWrite, surviving)
            .withChunkSize(500).withSettleTimeout(Duration.ofMillis(500)).withChunkLease(Duration.ofSeconds(2))
            .build().verify());

        VerificationReport report = survivor.get(2, TimeUnit.MINUTES);
        secondFinished.countDown();
        VerificationReport late = stalled.get(2, TimeUnit.MINUTES);

        assertThat(report.finished()).isTrue();
        assertThat(report.summary()).as("every key counted once")
            .isEqualTo("verify users: compared=5999 missing=4 extra=2 different=1");
        assertThat(report.samples().missing()).containsExactlyInAnyOrder("100", "2500", "4999", "6000");
        assertThat(report.samples().extra()).containsExactlyInAnyOrder("1234", "9000");
        assertThat(report.samples().different()).extracting(RowDifference::id).containsExactly("3333");
        assertThat(surviving.scans()).as("the second node took over the chunks the first held")
            .anyMatch(scan -> scan.afterId() == null).anyMatch(scan -> "500".equals(scan.afterId()));
        assertThat(stalling.scans()).as("the first node claimed its chunk and one ahead, then stopped").hasSize(2);
        assertThat(late).as("the first node's late work on chunks taken over is dropped").isEqualTo(report);
        assertThat(Verifier.builder(first.dualWrite, users).build().lastReport()).contains(report);
        assertThat(first.count("SELECT COUNT(*) FROM dualwrite_verification_chunks")).isZero();
      } finally {
        secondFinished.countDown();
        nodes.shutdownNow();
      }
    }
  }

  @DatabaseTest
  void twoNodesShareAVerificationWhoseListingOneNodeWalks(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture first = MirrorFixture.start(db, service.baseUrl());
        MirrorFixture second = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = migrated(first, db, "users", 4000);
      await().atMost(WAIT).until(() -> second.dualWrite.phases().state("users").phase() == DUAL_WRITE);
      service.remove("users", "77");
      service.remove("users", "3999");
      for (int id = 5001; id <= 5300; id++) {
        service.plant("users", Integer.toString(id), 1, json("{\"id\":" + id + "}"));
      }
      // legacy's order is not the listing's: chunks are looked up, the whole listing walked by one node for extras;
      // the second node joins while the first is in its first chunk, whose read of the missing key 77 waits for it
      CountDownLatch secondJoined = new CountDownLatch(1);
      RecordingSource firstUsers = new RecordingSource(users).notInListingOrder().beforeRead(ids -> {
        if (ids.contains("77")) {
          awaitLatch(secondJoined);
        }
      });
      RecordingSource secondUsers =
          new RecordingSource(DualWriteHibernate.legacySource(second.sessions, "users")).notInListingOrder()
              .afterScan(chunk -> secondJoined.countDown());
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        Future<VerificationReport> one = nodes.submit(() -> Verifier.builder(first.dualWrite, firstUsers)
            .withChunkSize(250).withSettleTimeout(Duration.ofMillis(500)).build().verify());
        await().atMost(WAIT).until(() -> !firstUsers.scans().isEmpty());
        Future<VerificationReport> two = nodes.submit(() -> Verifier.builder(second.dualWrite, secondUsers)
            .withChunkSize(250).withSettleTimeout(Duration.ofMillis(500)).build().verify());

        VerificationReport byFirst = one.get(2, TimeUnit.MINUTES);
        VerificationReport bySecond = two.get(2, TimeUnit.MINUTES);

        assertThat(byFirst).as("one run, reported by both nodes").isEqualTo(bySecond);
        assertThat(byFirst.summary()).isEqualTo("verify users: compared=4000 missing=2 extra=300 different=0");
        assertThat(firstUsers.rowsScanned() + secondUsers.rowsScanned()).as("each legacy row scanned once")
            .isEqualTo(4000);
        assertThat(firstUsers.rowsScanned()).isPositive();
        assertThat(secondUsers.rowsScanned()).isPositive();
      } finally {
        secondJoined.countDown();
        nodes.shutdownNow();
      }
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Plants a copy of the held document with {@code field} changed, at {@code version}. */
  private void plantChanged(String resource, String id, String field, String value, long version) {
    StoredDocument held = service.document(resource, id).orElseThrow();
    ObjectNode data = (ObjectNode) held.data();
    data.put(field, value);
    service.plant(resource, id, version, data);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}

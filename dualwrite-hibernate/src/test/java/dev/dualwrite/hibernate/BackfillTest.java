package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.backfill.BackfillListener;
import dev.dualwrite.backfill.BackfillProgress;
import dev.dualwrite.hibernate.DualWriteTables.OutboxRow;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill end to end: legacy rows on a real database reach a real loopback service, straight from the backfill
 * when its node delivers, through the outbox when it does not.
 */
class BackfillTest {
  private static final Logger log = LoggerFactory.getLogger(BackfillTest.class);
  private static final Duration WAIT = Duration.ofMinutes(2);

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aHundredThousandRowsAreCopiedInBoundedHeapAndBothStoresAgree(TestDatabase db) {
    DualWriteTables.reset(db);
    int rows = 100_000;
    // the backfill's node does not deliver, so that the heap measured is the backfill's alone (the reference
    // service keeps what it receives in this JVM's heap); a second node delivers afterwards
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(),
        b -> b.withRelay(RelayConfig.builder().withEnabled(false).build()), Map.of())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, rows);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      HeapSampler heap = new HeapSampler(10_000);
      Backfill backfill = Backfill.builder(app.dualWrite, users).withChunkSize(1000).onProgress(heap).build();

      long started = System.nanoTime();
      BackfillCheckpoint done = backfill.run();
      double backfillSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(service.requestCount()).as("nothing delivered while the heap was measured").isZero();
      try (DualWrite relayNode = relayNode(db)) {
        long deliveryStarted = System.nanoTime();
        assertThat(relayNode.relay().drain(WAIT)).isTrue();
        double deliverySeconds = (System.nanoTime() - deliveryStarted) / 1e9;

        assertThat(done.finished()).isTrue();
        assertThat(done.rowsDone()).isEqualTo(rows);
        assertThat(app.outboxRows("users")).isEqualTo(rows);
        DualWriteAssertions.assertStoresAgree(relayNode, users, WAIT);
        assertThat(service.liveDocuments("users")).hasSize(rows);
        log.info("backfill of {} rows on {}: {} rows/s; heap used after GC: baseline {} MB, growth every 10,000 rows"
                + " {} MB; relay delivered {} rows/s", rows, db, Math.round(rows / backfillSeconds), heap.baselineMb(),
            heap.growthMb(), Math.round(rows / deliverySeconds));
        assertThat(heap.growthMb()).hasSize(rows / 10_000);
        // what grows is this node's read-your-writes tracker (dev.dualwrite.read), about 120 bytes per undelivered
        // key and capped at 100,000 keys per entity; the backfill itself holds one chunk at a time. Holding the
        // 100,000 rows as entities and snapshots would take well over 100 MB.
        assertThat(heap.peakGrowthMb()).as("heap growth during the backfill, MB").isLessThan(32);
      }
    }
  }

  @DatabaseTest
  void concurrentUpdatesAndDeletesDuringTheBackfillEndWithBothStoresAgreeing(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      app.moveTo("notes", DUAL_WRITE);
      int rows = 5_000;
      LegacyRows.insertUsers(db, 1, rows);
      LegacyRows.insertNotes(db, 1, rows);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      LegacySource notes = DualWriteHibernate.legacySource(app.sessions, "notes");

      LiveTraffic traffic = new LiveTraffic(app, rows);
      traffic.start(3);
      try {
        for (LegacySource source : List.of(users, notes)) {
          // the overlap is made, not hoped for: after its first chunk, each backfill waits for 30 more updates and
          // 6 more deletes of the live traffic, however fast or slow the machine is
          long updates = traffic.updates.get();
          long deletes = traffic.deletes.get();
          AtomicBoolean waited = new AtomicBoolean();
          BackfillListener overlap = new BackfillListener() {
            @Override
            public void onProgress(BackfillProgress progress) {
              if (waited.compareAndSet(false, true)) {
                await().atMost(WAIT).until(
                    () -> traffic.updates.get() >= updates + 30 && traffic.deletes.get() >= deletes + 6);
              }
            }
          };
          Backfill.builder(app.dualWrite, source).withChunkSize(100).withRowsPerSecond(10_000).onProgress(overlap)
              .build().run();
          assertThat(waited).as("the backfill of %s had more than one chunk", source.entity()).isTrue();
        }
      } finally {
        traffic.stop();
      }

      assertThat(traffic.updates.get()).as("updates made while the backfills ran").isGreaterThanOrEqualTo(60);
      assertThat(traffic.deletes.get()).as("deletes made while the backfills ran").isGreaterThanOrEqualTo(12);
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users, WAIT);
      DualWriteAssertions.assertStoresAgree(app.dualWrite, notes, WAIT);
    }
  }

  @DatabaseTest
  void aLiveWriteToARowTheChunkReadWaitsForTheChunkAndWins(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      app.moveTo("notes", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 10);
      LegacyRows.insertNotes(db, 1, 10);
      // with and without @Version alike, a change's version comes from the change sequence: the chunk's shared locks
      // make a live write to a row it read wait, so that the write commits after the chunk's snapshot (delivered
      // straight, at a version reserved while the locks were held) with a higher version
      Map<String, Runnable> liveWrites = Map.of(
          "users", () -> app.sessions.inTransaction(s -> s.find(User.class, 3L).setName("edited")),
          "notes", () -> app.sessions.inTransaction(s -> s.find(Note.class, 3L).setText("edited")));
      for (String entity : List.of("users", "notes")) {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        List<Future<?>> update = new ArrayList<>();
        AtomicBoolean blocked = new AtomicBoolean();
        RecordingSource source = new RecordingSource(DualWriteHibernate.legacySource(app.sessions, entity))
            .afterScan(chunk -> {
              if (!chunk.isEmpty() && update.isEmpty()) {
                update.add(writer.submit(liveWrites.get(entity)));
                blocked.set(waitsAtLeast(update.get(0), Duration.ofMillis(500)));
              }
            });

        Backfill.builder(app.dualWrite, source).build().run();
        join(update.get(0));
        writer.shutdown();

        assertThat(blocked).as("%s: the live update waited for the chunk's shared row lock", entity).isTrue();
        assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
        OutboxRow last = DualWriteTables.lastOutboxRow(db, entity, "3");
        assertThat(last.origin()).as("%s: the copy went straight to the service, the live write through the outbox",
            entity).isEqualTo("LIVE");
        StoredDocument held = service.document(entity, "3").orElseThrow();
        assertThat(held.version()).as("%s: the new service holds the live write's version", entity)
            .isEqualTo(last.id());
        assertThat(held.data().path(entity.equals("users") ? "name" : "text").asText()).isEqualTo("edited");
        DualWriteAssertions.assertStoresAgree(app.dualWrite, source, WAIT);
      }
    }
  }

  @DatabaseTest
  void aBackfillWhoseCheckpointIsFromBeforeMirroringBeganAgainStartsOver(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 50);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      Backfill.builder(app.dualWrite, users).build().run();
      app.dualWrite.phases().move("users", MigrationPhase.LEGACY_ONLY, "lead", "roll back");
      // while mirroring is off: a change and new rows the new service never hears of
      app.sessions.inTransaction(s -> s.find(User.class, 7L).setName("Changed while off"));
      LegacyRows.insertUsers(db, 51, 10);
      app.moveTo("users", DUAL_WRITE);

      BackfillCheckpoint second = Backfill.builder(app.dualWrite, users).build().run();

      assertThat(second.finished()).isTrue();
      assertThat(second.rowsDone()).as("every row copied again, not 0 from the old checkpoint").isEqualTo(60);
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users, WAIT);
      assertThat(service.document("users", "7").orElseThrow().data().path("name").asText())
          .isEqualTo("Changed while off");
    }
  }

  @DatabaseTest
  void aBackfillKilledHalfWayResumesFromItsCheckpointWithoutRereadingRows(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 10_000);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      RecordingSource crashing = new RecordingSource(users).crashingAtScan(6);

      assertThatThrownBy(() -> Backfill.builder(app.dualWrite, crashing).withChunkSize(1000).withThreads(1).build()
          .run())
          .isInstanceOf(DualWriteException.class)
          .hasMessageContaining("users: backfill chunk after id 5000 failed")
          .hasStackTraceContaining("simulated crash in scan 6");
      Backfill backfill = Backfill.builder(app.dualWrite, users).build();
      BackfillCheckpoint halfWay = backfill.checkpoint().orElseThrow();
      RecordingSource resumed = new RecordingSource(users);
      BackfillCheckpoint done = Backfill.builder(app.dualWrite, resumed).withChunkSize(1000).withThreads(1).build()
          .run();

      assertThat(halfWay.lastId()).as("claimed up to the chunk that was cut off").isEqualTo("6000");
      assertThat(halfWay.rowsDone()).isEqualTo(5000);
      assertThat(halfWay.finished()).isFalse();
      assertThat(resumed.scans().get(0).afterId()).as("the chunk cut off is copied first").isEqualTo("5000");
      assertThat(resumed.scans()).flatMap(RecordingSource.Scan::ids).hasSize(5000)
          .allMatch(id -> Long.parseLong(id) > 5000);
      assertThat(done.finished()).isTrue();
      assertThat(done.rowsDone()).isEqualTo(10_000);
      assertThat(service.appliedCount()).as("every row delivered once: the crashed chunk delivered nothing")
          .isEqualTo(10_000);
      assertThat(service.staleCount()).isZero();
      assertThat(backfill.run()).as("a finished backfill does nothing").isEqualTo(done);
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users, WAIT);
    }
  }

  @DatabaseTest
  void aStoppedBackfillResumesAndReportsRowsRateAndTimeLeft(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("notes", DUAL_WRITE);
      LegacyRows.insertNotes(db, 1, 3000);
      LegacySource notes = DualWriteHibernate.legacySource(app.sessions, "notes");
      List<BackfillProgress> progress = new ArrayList<>();
      AtomicInteger finished = new AtomicInteger();
      AtomicReference<Backfill> backfill = new AtomicReference<>();
      backfill.set(Backfill.builder(app.dualWrite, notes).withChunkSize(500).withRowsPerSecond(2000).withThreads(1)
          .onProgress(new BackfillListener() {
            @Override
            public void onProgress(BackfillProgress p) {
              progress.add(p);
              if (p.rowsDone() == 1000 && progress.size() == 2) {
                backfill.get().stop();
              }
            }

            @Override
            public void onFinished(BackfillProgress p) {
              progress.add(p);
              finished.incrementAndGet();
            }
          })
          .build());

      BackfillCheckpoint stopped = backfill.get().run();
      long started = System.nanoTime();
      BackfillCheckpoint done = backfill.get().run();
      Duration resumedIn = Duration.ofNanos(System.nanoTime() - started);

      assertThat(stopped.rowsDone()).isEqualTo(1000);
      assertThat(stopped.finished()).isFalse();
      assertThat(done.rowsDone()).isEqualTo(3000);
      assertThat(finished).hasValue(1);
      assertThat(progress).extracting(BackfillProgress::rowsDone)
          .containsExactly(500L, 1000L, 1500L, 2000L, 2500L, 3000L, 3000L);
      BackfillProgress afterResume = progress.get(2);
      assertThat(afterResume.rowsThisRun()).isEqualTo(500);
      assertThat(afterResume.rowsLeft()).isEqualTo(1500);
      assertThat(afterResume.timeLeft()).isNotNull();
      assertThat(afterResume.rowsPerSecond()).isPositive();
      assertThat(progress.get(progress.size() - 1).finished()).isTrue();
      assertThat(progress.get(progress.size() - 1).rowsPerSecond()).as("throttled to 2000 rows/s").isLessThan(2100);
      assertThat(resumedIn).as("2000 rows at 2000 rows/s, the first chunk's permits free")
          .isGreaterThan(Duration.ofMillis(700));
      DualWriteAssertions.assertStoresAgree(app.dualWrite, notes, WAIT);
    }
  }

  @DatabaseTest
  void aBackfillSharedByTwoNodesWithOneKilledMidChunkCopiesEveryRowExactlyOnce(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    int rows = 20_000;
    try (MirrorFixture first = MirrorFixture.start(db, service.baseUrl());
        MirrorFixture second = MirrorFixture.start(db, service.baseUrl())) {
      first.moveTo("users", DUAL_WRITE);
      await().atMost(WAIT).until(() -> second.dualWrite.phases().state("users").phase() == DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, rows);
      LegacySource firstUsers = DualWriteHibernate.legacySource(first.sessions, "users");
      LegacySource secondUsers = DualWriteHibernate.legacySource(second.sessions, "users");
      AtomicLong copiedBySecond = new AtomicLong();
      // the overlap is made, not hoped for: the first node's first chunk waits, its rows locked, until the second
      // node has copied a chunk of its own; the first node then dies in its third chunk, its lease still running
      RecordingSource dying = new RecordingSource(firstUsers).crashingAtScan(3).afterScan(chunk -> {
        if (!chunk.isEmpty() && chunk.get(0).id().equals("1")) {
          await().atMost(WAIT).until(() -> copiedBySecond.get() > 0);
        }
      });
      RecordingSource surviving = new RecordingSource(secondUsers);
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        Future<BackfillCheckpoint> killed = nodes.submit(() -> Backfill.builder(first.dualWrite, dying)
            .withChunkSize(1000).withThreads(1).withChunkLease(Duration.ofSeconds(2)).build().run());
        await().atMost(WAIT).until(() -> !dying.scans().isEmpty());
        Future<BackfillCheckpoint> survivor = nodes.submit(() -> Backfill.builder(second.dualWrite, surviving)
            .withChunkSize(1000).withThreads(2).withChunkLease(Duration.ofSeconds(2))
            .onProgress(p -> copiedBySecond.set(p.rowsThisRun())).build().run());

        assertThatThrownBy(killed::get).hasStackTraceContaining("simulated crash in scan 3");
        BackfillCheckpoint done = survivor.get(2, TimeUnit.MINUTES);

        assertThat(done.finished()).isTrue();
        assertThat(done.rowsDone()).as("rows counted by the copied chunks").isEqualTo(rows);
        assertThat(dying.scans()).hasSize(3);
        String cutOff = dying.scans().get(2).afterId();
        assertThat(surviving.scans()).as("the chunk the first node died in was copied by the second")
            .anyMatch(scan -> cutOff.equals(scan.afterId()));
        List<String> copiedByFirst = dying.scans().subList(0, 2).stream()
            .flatMap(scan -> scan.ids().stream()).toList();
        assertThat(surviving.scans()).flatMap(RecordingSource.Scan::ids).as("no row copied by both nodes")
            .doesNotContainAnyElementsOf(copiedByFirst).hasSize(rows - copiedByFirst.size()).doesNotHaveDuplicates();
        assertThat(service.appliedCount()).as("each row applied once: none skipped, none copied twice")
            .isEqualTo(rows);
        assertThat(service.staleCount()).isZero();
        assertThat(first.count("SELECT COUNT(*) FROM dualwrite_backfill_chunks")).isZero();
        DualWriteAssertions.assertStoresAgree(second.dualWrite, secondUsers, WAIT);
      } finally {
        nodes.shutdownNow();
      }
    }
  }

  @DatabaseTest
  void whileDeliveryIsPausedTheCopiesWaitInTheOutboxAndReachTheServiceOnResume(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 3000);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      app.dualWrite.outbox().pauseDelivery("users", "lead", "service maintenance");

      BackfillCheckpoint done = Backfill.builder(app.dualWrite, users).build().run();

      assertThat(done.rowsDone()).isEqualTo(3000);
      assertThat(service.requestCount()).as("nothing sent while delivery is paused").isZero();
      assertThat(app.count("SELECT COUNT(*) FROM dualwrite_outbox WHERE origin = 'BACKFILL' AND status = 'PENDING'"))
          .isEqualTo(3000);
      app.dualWrite.outbox().resumeDelivery("users");
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users, WAIT);
    }
  }

  @DatabaseTest
  void copiesTheServiceDoesNotTakeGoThroughTheOutboxAndNothingIsLost(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 3000);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      service.failNextRequests(1, 503);

      BackfillCheckpoint done = Backfill.builder(app.dualWrite, users).withThreads(1).build().run();

      assertThat(done.rowsDone()).isEqualTo(3000);
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users, WAIT);
      assertThat(service.liveDocuments("users")).hasSize(3000);
    }
  }

  @DatabaseTest
  void aBackfillIsRefusedWhileTheEntityIsNotMirrored(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");

      assertThatThrownBy(() -> Backfill.builder(app.dualWrite, users).build().run())
          .isInstanceOf(DualWriteException.class)
          .hasMessage("backfill of users refused: the entity is in LEGACY_ONLY, where legacy writes are not mirrored"
              + " to the new service, so rows changed after their copy would go stale there. Move users to DUAL_WRITE"
              + " (or SHADOW_READS, NEW_READS) first.");
      assertThat(app.outboxRows("users")).isZero();
    }
  }

  /** A node that only delivers the outbox, over the same database, to the same service. */
  private DualWrite relayNode(TestDatabase db) {
    return DualWrite.builder()
        .withDataSource(db.dataSource())
        .withEntity(EntityMigration.builder("users").withSensitiveFields("email")
            .withRetryPolicy(MirrorFixture.QUICK_RETRIES).build())
        .withTargetUrl(service.baseUrl())
        // delivered rows kept in the outbox: the tests count what the backfill appended
        .withRelay(RelayConfig.builder().withBatchSize(500).withPollInterval(Duration.ofMillis(50))
            .withDeliveredRetention(Duration.ofMinutes(10)).build())
        .build();
  }

  /** Whether {@code task} is still running after {@code wait}: it is blocked. */
  private static boolean waitsAtLeast(Future<?> task, Duration wait) {
    try {
      task.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException stillWaiting) {
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void join(Future<?> task) {
    try {
      task.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Samples the heap used after a full GC every {@code everyRows} rows copied. */
  private static final class HeapSampler implements BackfillListener {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long everyRows;
    private final long baseline;
    private final List<Long> growthMb = new ArrayList<>();

    HeapSampler(long everyRows) {
      this.everyRows = everyRows;
      this.baseline = usedAfterGc();
    }

    @Override
    public void onProgress(BackfillProgress progress) {
      if (progress.rowsThisRun() % everyRows == 0) {
        growthMb.add(Math.max(0, usedAfterGc() - baseline) >> 20);
      }
    }

    /** The end repeats the last chunk's progress: not another sample. */
    @Override
    public void onFinished(BackfillProgress progress) {}

    private long usedAfterGc() {
      System.gc();
      return memory.getHeapMemoryUsage().getUsed();
    }

    long baselineMb() {
      return baseline >> 20;
    }

    /** The heap growth over the baseline at each sample, in MB. */
    List<Long> growthMb() {
      return growthMb;
    }

    long peakGrowthMb() {
      return growthMb.stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }
}

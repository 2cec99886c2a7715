package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.hibernate.entities.Shipment;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Values that Java holds more precisely than their columns (times from {@code now()} with nanoseconds, a column with
 * milliseconds, a scaled {@code BigDecimal}, a {@code float}): a live write, a backfill and the verifier see the same
 * snapshot of the same committed row, so a migration of such an entity verifies clean.
 */
class StoredPrecisionTest {
  private static final Duration WAIT = Duration.ofMinutes(1);

  /** Nanosecond values that PostgreSQL rounds and MariaDB truncates differently, and one that carries a second. */
  private static final List<Instant> TIMES = List.of(
      Instant.parse("2026-12-01T13:44:47.222795130Z"),
      Instant.parse("2026-12-01T13:44:47.222795500Z"),
      Instant.parse("2026-12-01T13:44:47.222795499Z"),
      Instant.parse("2026-12-01T13:44:47.499999999Z"),
      Instant.parse("2026-12-01T13:44:47.499500000Z"),
      Instant.parse("2026-12-01T13:44:47.600000000Z"),
      Instant.parse("2026-12-01T23:59:59.999999999Z"));

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  /** {@code now()} with nanosecond digits, as current JDKs on some platforms give, and more. */
  private static Instant now(long i) {
    return Instant.now().plusNanos(123 + i * 7919);
  }

  @DatabaseTest
  void aLiveWriteSnapshotsEachValueAsTheDatabaseStoresIt(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      app.moveTo("shipments", DUAL_WRITE);
      for (int i = 0; i < TIMES.size(); i++) {
        Instant time = TIMES.get(i);
        long id = i + 1;
        app.sessions.inTransaction(s -> s.persist(new Shipment(id).stamp(time, 12.345678 * id)));
      }
      LegacySource shipments = DualWriteHibernate.legacySource(app.sessions, "shipments");

      for (long id = 1; id <= TIMES.size(); id++) {
        String key = String.valueOf(id);
        String live = DualWriteTables.lastOutboxRow(db, "shipments", key).payload();
        LegacyRow stored = shipments.inTransaction(tx -> tx.read(List.of(key), RowLock.NONE)).get(0);
        assertThat(live).as("live snapshot of shipment %s against the row read back", key)
            .isEqualTo(stored.payload());
      }
    }
  }

  @DatabaseTest
  void liveWritesFromNowVerifyClean(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("shipments", DUAL_WRITE);
      LongStream.rangeClosed(1, 200).forEach(id ->
          app.sessions.inTransaction(s -> s.persist(new Shipment(id).stamp(now(id), id / 3.0))));
      LongStream.rangeClosed(1, 200).filter(id -> id % 2 == 0).forEach(id ->
          app.sessions.inTransaction(s -> s.find(Shipment.class, id).stamp(now(id), id / 7.0)));
      LegacySource shipments = DualWriteHibernate.legacySource(app.sessions, "shipments");
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();

      assertThat(Verifier.builder(app.dualWrite, shipments).build().verify().summary())
          .isEqualTo("verify shipments: compared=200 missing=0 extra=0 different=0");
    }
  }

  @DatabaseTest
  void backfilledRowsAndLiveWritesAfterThemVerifyClean(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      // written before mirroring began: the backfill copies them from the database
      LongStream.rangeClosed(1, 150).forEach(id ->
          app.sessions.inTransaction(s -> s.persist(new Shipment(id).stamp(now(id), id * 1.25))));
      app.moveTo("shipments", DUAL_WRITE);
      LegacySource shipments = DualWriteHibernate.legacySource(app.sessions, "shipments");
      Backfill.builder(app.dualWrite, shipments).withChunkSize(40).build().run();
      LongStream.rangeClosed(1, 150).filter(id -> id % 3 == 0).forEach(id ->
          app.sessions.inTransaction(s -> s.find(Shipment.class, id).stamp(now(id), id * 2.5)));
      LongStream.rangeClosed(151, 170).forEach(id ->
          app.sessions.inTransaction(s -> s.persist(new Shipment(id).stamp(now(id), id))));

      DualWriteAssertions.assertStoresAgree(app.dualWrite, shipments, WAIT);
      assertThat(Verifier.builder(app.dualWrite, shipments).build().verify().summary())
          .isEqualTo("verify shipments: compared=170 missing=0 extra=0 different=0");
    }
  }
}

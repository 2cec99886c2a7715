package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code DUAL_WRITE -> LEGACY_ONLY -> DUAL_WRITE} with inserts, updates and deletes while mirroring was off, then the
 * steps the playbook gives for a round trip: backfill, repair, and a verification that must be clean.
 */
class PhaseRoundTripTest {
  private static final int ROWS = 200;

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aRoundTripThroughLegacyOnlyConvergesAfterTheBackfillAndARepairThatRemovesTheRowsDeletedMeanwhile(
      TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, ROWS);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      Backfill.builder(app.dualWrite, users).build().run();
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users);

      app.moveTo("users", LEGACY_ONLY);
      long outboxBefore = app.outboxRows("users");
      IntStream.rangeClosed(10, 19).forEach(id ->
          app.sessions.inTransaction(s -> s.find(User.class, (long) id).setName("renamed while off")));
      IntStream.rangeClosed(20, 29).forEach(id ->
          app.sessions.inTransaction(s -> s.remove(s.find(User.class, (long) id))));
      IntStream.rangeClosed(1001, 1005).forEach(id ->
          app.sessions.inTransaction(s -> s.persist(new User(id, "late" + id + "@example.com", "Late " + id))));
      assertThat(app.outboxRows("users")).as("nothing mirrored in LEGACY_ONLY").isEqualTo(outboxBefore);

      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.find(User.class, 30L).setName("renamed after the way back"));
      Backfill.builder(app.dualWrite, users).build().run();
      VerificationReport repair = Verifier.builder(app.dualWrite, users).build().repair();
      VerificationReport after = DualWriteAssertions.assertStoresAgree(app.dualWrite, users);

      // the backfill re-copied what was inserted or updated meanwhile; what it cannot see, the rows deleted
      // meanwhile, are copies the new service still holds: extra, and repair sends their tombstones
      assertThat(repair.summary()).isEqualTo("verify users: compared=195 missing=0 extra=10 different=0");
      assertThat(repair.samples().extra())
          .containsExactlyInAnyOrder("20", "21", "22", "23", "24", "25", "26", "27", "28", "29");
      assertThat(repair.repaired()).isEqualTo(10);
      assertThat(repair.notRepaired()).isZero();
      assertThat(after.compared()).isEqualTo(195);
      assertThat(service.document("users", "25")).hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
      assertThat(service.document("users", "15").orElseThrow().data().path("name").asText())
          .isEqualTo("renamed while off");
      assertThat(service.document("users", "1003").orElseThrow().data().path("name").asText()).isEqualTo("Late 1003");
      assertThat(service.document("users", "30").orElseThrow().data().path("name").asText())
          .isEqualTo("renamed after the way back");
    }
  }
}

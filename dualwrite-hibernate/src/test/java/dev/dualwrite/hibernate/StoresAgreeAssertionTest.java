package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.verify.VerificationReport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

/** {@link DualWriteAssertions#assertStoresAgree} as a user's test would call it. */
class StoresAgreeAssertionTest {
  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void passesRightAfterWritesBecauseItDeliversWhatIsPendingFirst(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 100);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      Backfill.builder(app.dualWrite, users).build().run();
      app.sessions.inTransaction(s -> s.find(User.class, 7L).setName("Seven"));

      VerificationReport report = DualWriteAssertions.assertStoresAgree(app.dualWrite, users);

      assertThat(report.summary()).isEqualTo("verify users: compared=100 missing=0 extra=0 different=0");
      assertThat(service.document("users", "7").orElseThrow().data().path("name").asText()).isEqualTo("Seven");
    }
  }

  @DatabaseTest
  void failsWithTheSummaryLineAndFieldDiffsWithSensitiveValuesMasked(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      LegacyRows.insertUsers(db, 1, 100);
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      Backfill.builder(app.dualWrite, users).build().run();
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users);
      ObjectNode seven = (ObjectNode) service.document("users", "7").orElseThrow().data();
      seven.put("email", "leaked@example.com").put("name", "Not Seven");
      service.plant("users", "7", 0, seven);
      service.remove("users", "8");

      assertThatThrownBy(() -> DualWriteAssertions.assertStoresAgree(app.dualWrite, users))
          .isInstanceOf(AssertionFailedError.class)
          .hasMessage("the legacy database and the new service disagree on users:\n"
              + "verify users: compared=100 missing=1 extra=0 different=1\n"
              + "  missing in the new service (1, first 1): 8\n"
              + "  different (1, first 1):\n"
              + "    7 (new v0): /email: legacy ***, new ***; /name: legacy \"User 7\", new \"Not Seven\"");
    }
  }
}

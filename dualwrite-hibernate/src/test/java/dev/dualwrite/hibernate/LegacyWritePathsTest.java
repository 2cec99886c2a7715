package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.NEW_WRITES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.cutover.LegacyWritePath;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inventory of legacy write paths on a real database: from NEW_READS on, each Hibernate or bulk write of the
 * entity is counted by the application's call site; a move starts it afresh.
 */
class LegacyWritePathsTest {
  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void writesFromNewReadsOnAreCountedByCallSiteUntilTheNextMove(TestDatabase db) {
    DualWriteTables.reset(db);
    db.execute("DELETE FROM dualwrite_legacy_write_paths");
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(), b -> b,
        Map.of(DualWriteSettings.BULK_WRITES, "warn"))) {
      app.moveTo("users", DUAL_WRITE);
      UserScreens.create(app.sessions, 1);
      assertThat(paths(app)).as("not counted before NEW_READS").isEmpty();

      app.moveTo("users", NEW_READS);
      for (int i = 2; i <= 4; i++) {
        UserScreens.create(app.sessions, i);
      }
      UserScreens.rename(app.sessions, 2);
      ReportJobs.renameAll(app.sessions);

      List<LegacyWritePath> paths = paths(app);
      assertThat(paths).extracting(LegacyWritePath::callSite).hasSize(3)
          // Hibernate flushes these at commit: the call site is the frame that commits
          .anySatisfy(site -> assertThat(site).startsWith(UserScreens.class.getName() + ".create:"))
          .anySatisfy(site -> assertThat(site).startsWith(UserScreens.class.getName() + ".rename:"))
          .anySatisfy(site -> assertThat(site).startsWith(ReportJobs.class.getName() + ".lambda$renameAll$"));
      assertThat(paths.get(0).writes()).as("most writes first").isEqualTo(3);
      assertThat(paths.get(0).lastSeen()).isNotNull();

      app.moveTo("users", NEW_WRITES);
      assertThat(paths(app)).as("a move starts the inventory afresh").isEmpty();
    }
  }

  private static List<LegacyWritePath> paths(MirrorFixture app) {
    return app.dualWrite.status("users").legacyWritePaths();
  }

  /** Application code that writes users through Hibernate. */
  static final class UserScreens {
    static void create(SessionFactory sessions, long id) {
      sessions.inTransaction(s -> s.persist(new User(id, "u" + id + "@example.com", "User " + id)));
    }

    static void rename(SessionFactory sessions, long id) {
      sessions.inTransaction(s -> s.find(User.class, id).setName("renamed"));
    }
  }

  /** Application code that writes users with a bulk statement. */
  static final class ReportJobs {
    static void renameAll(SessionFactory sessions) {
      sessions.inTransaction(s -> s.createMutationQuery("update User set name = 'bulk'").executeUpdate());
    }
  }
}

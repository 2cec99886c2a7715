package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.read.ByIdReader;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lazy migration on touch, on a real database: in NEW_READS a read of a key the new service lacks is served from
 * legacy and the row is queued for the new service through the outbox, with the snapshot the backfill would send.
 */
class LazyMigrationTest {
  record Account(long id, long version, String email, String name) {}

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aReadOfARowTheNewServiceLacksIsServedFromLegacyAndCopiedToTheNewService(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      // written before mirroring began, and never backfilled
      app.sessions.inTransaction(s -> s.persist(new User(7, "ada@example.com", "Ada")));
      app.moveTo("users", DUAL_WRITE);
      app.moveTo("users", NEW_READS);
      app.dualWrite.phases().setCanaryPercent("users", 100, "test", "every key from the new service");

      try (ReadRouter router = ReadRouter.builder(app.dualWrite, "users")
          .withLazyMigration(DualWriteHibernate.legacySource(app.sessions, "users")).build()) {
        ByIdReader<Long, Account> users = router.byId(Account.class, legacy(app));

        assertThat(users.get(7L)).hasValueSatisfying(a -> assertThat(a.name()).isEqualTo("Ada"));
        assertThat(router.stats().lazilyMigrated()).isEqualTo(1);
        await().untilAsserted(() -> assertThat(service.document("users", "7")).hasValueSatisfying(d ->
            assertThat(d.data().path("name").asText()).isEqualTo("Ada")));

        assertThat(users.get(7L)).hasValueSatisfying(a -> assertThat(a.name()).isEqualTo("Ada"));
        assertThat(router.stats().lazilyMigrated()).as("read from the new service now").isEqualTo(1);
        assertThat(users.get(8L)).as("in neither store").isEmpty();
        assertThat(router.stats().lazilyMigrated()).isEqualTo(1);
      }
    }
  }

  private static Function<Long, Account> legacy(MirrorFixture app) {
    return id -> app.sessions.fromSession(s -> {
      User user = s.find(User.class, id);
      return user == null ? null : new Account(user.getId(), user.getVersion(), user.getEmail(), user.getName());
    });
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.entities.Alias;
import dev.dualwrite.hibernate.entities.Login;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.hibernate.Session;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An id that is deleted and created again, with assigned {@code Long} ids and natural text ids, with and without
 * {@code @Version}: the new service ends with the re-created row's state. And a tombstone the new service holds for a
 * row legacy has: verify finds it missing, repair reports it repaired only once the service holds the row.
 */
class RecreatedIdsTest {
  private static final Duration WAIT = Duration.ofMinutes(1);

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  /** The life cycle of one id, each step its own transaction: insert, update, delete, insert again, update. */
  private record LifeCycle(Consumer<Session> insert, Consumer<Session> update, Consumer<Session> delete,
      Consumer<Session> insertAgain, Consumer<Session> updateAgain) {}

  @DatabaseTest
  void anAssignedLongIdDeletedAndCreatedAgainEndsWithTheNewRowsState(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      StoredDocument user = liveThrough(app, "users", "7", new LifeCycle(
          s -> s.persist(new User(7, "seven@example.com", "Seven")),
          s -> s.find(User.class, 7L).setName("Seven, renamed"),
          s -> s.remove(s.find(User.class, 7L)),
          s -> s.persist(new User(7, "seven@new.example.com", "Seven again")),
          s -> s.find(User.class, 7L).setName("Seven again, renamed")));
      StoredDocument note = liveThrough(app, "notes", "7", new LifeCycle(
          s -> s.persist(new Note(7, "first")),
          s -> s.find(Note.class, 7L).setText("first, edited"),
          s -> s.remove(s.find(Note.class, 7L)),
          s -> s.persist(new Note(7, "second")),
          s -> s.find(Note.class, 7L).setText("second, edited")));

      assertThat(user.data().path("name").asText()).isEqualTo("Seven again, renamed");
      assertThat(user.data().path("email").asText()).isEqualTo("seven@new.example.com");
      assertThat(note.data().path("text").asText()).isEqualTo("second, edited");
    }
  }

  @DatabaseTest
  void aNaturalTextIdDeletedAndCreatedAgainEndsWithTheNewRowsState(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      StoredDocument login = liveThrough(app, "logins", "ada", new LifeCycle(
          s -> s.persist(new Login("ada", "Ada")),
          s -> s.find(Login.class, "ada").setDisplayName("Ada L."),
          s -> s.remove(s.find(Login.class, "ada")),
          s -> s.persist(new Login("ada", "Ada, back")),
          s -> s.find(Login.class, "ada").setDisplayName("Ada, back again")));
      StoredDocument alias = liveThrough(app, "aliases", "ada", new LifeCycle(
          s -> s.persist(new Alias("ada", "ada@old")),
          s -> s.find(Alias.class, "ada").setTarget("ada@old2"),
          s -> s.remove(s.find(Alias.class, "ada")),
          s -> s.persist(new Alias("ada", "ada@new")),
          s -> s.find(Alias.class, "ada").setTarget("ada@new2")));

      assertThat(login.data().path("displayName").asText()).isEqualTo("Ada, back again");
      assertThat(alias.data().path("target").asText()).isEqualTo("ada@new2");
    }
  }

  @DatabaseTest
  void aTombstoneTheServiceHoldsForALegacyRowIsMissingAndRepairedOnceTheServiceHoldsTheRow(TestDatabase db) {
    DualWriteTables.reset(db);
    // the node that repairs does not relay, as the CLI does not; the monolith's node relays, looking for due changes
    // once a second, so a repair that did not wait for its delivery would return before the service holds the row
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(),
            b -> b.withRelay(RelayConfig.builder().withEnabled(false).build()), Map.of());
        DualWrite monolith = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl())
            .withRelay(MirrorFixture.quickRelay().withPollInterval(Duration.ofSeconds(1)).build()))) {
      app.moveTo("logins", DUAL_WRITE);
      for (int i = 1; i <= 20; i++) {
        Login login = new Login("user-" + i, "User " + i);
        app.sessions.inTransaction(s -> s.persist(login));
      }
      assertThat(monolith.relay().drain(WAIT)).isTrue();
      LegacySource logins = DualWriteHibernate.legacySource(app.sessions, "logins");
      long delivered = service.document("logins", "user-7").orElseThrow().version();
      service.plant("logins", "user-7", delivered, null); // a tombstone under a version dualwrite already used
      Verifier verifier = Verifier.builder(app.dualWrite, logins).build();

      VerificationReport found = verifier.verify();
      VerificationReport repair = verifier.repair();
      StoredDocument whenRepairReturned = service.document("logins", "user-7").orElseThrow();
      VerificationReport after = verifier.verify();

      assertThat(found.summary()).isEqualTo("verify logins: compared=20 missing=1 extra=0 different=0");
      assertThat(found.samples().missing()).containsExactly("user-7");
      assertThat(repair.missing()).isEqualTo(1);
      assertThat(repair.repaired()).isEqualTo(1);
      assertThat(repair.notRepaired()).isZero();
      assertThat(whenRepairReturned.deleted()).as("repaired only once the service holds the row").isFalse();
      assertThat(whenRepairReturned.data().path("displayName").asText()).isEqualTo("User 7");
      assertThat(whenRepairReturned.version()).as("the repair's version, above the tombstone's")
          .isEqualTo(DualWriteTables.lastOutboxRow(db, "logins", "user-7").id())
          .isGreaterThan(delivered);
      assertThat(after.isClean()).isTrue();
    }
  }

  /**
   * Runs {@code lifeCycle} on {@code entity} {@code id} while the entity is mirrored, checks the service held a
   * tombstone after the delete, that both stores agree at the end, and returns the service's document.
   */
  private StoredDocument liveThrough(MirrorFixture app, String entity, String id, LifeCycle lifeCycle) {
    app.moveTo(entity, DUAL_WRITE);
    app.sessions.inTransaction(lifeCycle.insert());
    app.sessions.inTransaction(lifeCycle.update());
    app.sessions.inTransaction(lifeCycle.delete());
    assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
    assertThat(service.document(entity, id)).as(entity + " " + id + " after the delete")
        .hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
    app.sessions.inTransaction(lifeCycle.insertAgain());
    app.sessions.inTransaction(lifeCycle.updateAgain());

    DualWriteAssertions.assertStoresAgree(app.dualWrite, DualWriteHibernate.legacySource(app.sessions, entity), WAIT);
    StoredDocument held = service.document(entity, id).orElseThrow();
    assertThat(held.deleted()).as(entity + " " + id + " created again").isFalse();
    assertThat(held.version()).as("the version of the last change, the outbox row id")
        .isEqualTo(DualWriteTables.lastOutboxRow(app.db, entity, id).id());
    return held;
  }
}

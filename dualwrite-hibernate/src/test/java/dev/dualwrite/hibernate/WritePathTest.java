package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.LEGACY_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.entities.Audit;
import dev.dualwrite.hibernate.entities.Gizmo;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.Team;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.Transaction;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The write path end to end: Hibernate writes on a real database reach a real loopback service. */
class WritePathTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  private StoredDocument awaitDocument(String resource, String id, long version) {
    await().atMost(WAIT).until(() -> service.document(resource, id).map(d -> d.version() == version).orElse(false));
    return service.document(resource, id).orElseThrow();
  }

  /** Waits until the new service holds the last change appended for {@code entity} {@code id}: its outbox row id. */
  private StoredDocument awaitLastChange(MirrorFixture app, String entity, String id) {
    return awaitDocument(entity, id, app.count("SELECT MAX(id) FROM dualwrite_outbox WHERE entity = '" + entity
        + "' AND entity_id = '" + id + "'"));
  }

  @DatabaseTest
  void insertUpdateAndDeleteArriveWithTheCommittedState(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> {
        s.persist(new Team(7, "core"));
        User user = new User(1, "ada@example.com", "Ada");
        user.setPasswordHash("never-mirrored");
        user.setBirthday(LocalDate.of(1815, 12, 10));
        user.setTeam(s.getReference(Team.class, 7L));
        s.persist(user);
      });

      JsonNode inserted = awaitLastChange(app, "users", "1").data();
      assertThat(inserted.path("id").asLong()).isEqualTo(1);
      assertThat(inserted.path("email").asText()).isEqualTo("ada@example.com");
      assertThat(inserted.path("born").asText()).isEqualTo("1815-12-10");
      assertThat(inserted.path("team").asLong()).as("association sent as its id").isEqualTo(7);
      assertThat(inserted.has("passwordHash")).as("@MirrorIgnore").isFalse();

      app.sessions.inTransaction(s -> s.find(User.class, 1L).setEmail("ada@lovelace.org"));
      assertThat(awaitLastChange(app, "users", "1").data().path("email").asText()).isEqualTo("ada@lovelace.org");

      app.sessions.inTransaction(s -> s.remove(s.find(User.class, 1L)));
      StoredDocument tombstone = awaitLastChange(app, "users", "1");
      assertThat(tombstone.deleted()).isTrue();
    }
  }

  @DatabaseTest
  void aRolledBackTransactionMirrorsNothing(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      try (Session session = app.sessions.openSession()) {
        Transaction tx = session.beginTransaction();
        session.persist(new User(2, "gone@example.com", "Gone"));
        session.flush();
        tx.rollback();
      }
      app.sessions.inTransaction(s -> s.persist(new User(3, "kept@example.com", "Kept")));

      awaitLastChange(app, "users", "3");
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
      assertThat(service.document("users", "2")).isEmpty();
      assertThat(app.outboxRows("users")).isEqualTo(1);
      assertThat(app.dualWrite.mirrorStats("users").appended()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void onlyAnnotatedEntitiesInMirroringPhasesAreMirrored(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      // users stays LEGACY_ONLY; notes mirrors; audit is not annotated
      app.moveTo("notes", DUAL_WRITE);
      app.sessions.inTransaction(s -> {
        s.persist(new User(4, "legacy@example.com", "Legacy"));
        s.persist(new Audit(1, "login"));
        s.persist(new Note(1, "hello"));
      });

      awaitDocument("notes", "1", app.count("SELECT MAX(id) FROM dualwrite_outbox"));
      assertThat(app.outboxRows("users")).isZero();
      assertThat(app.count("SELECT COUNT(*) FROM dualwrite_outbox")).isEqualTo(1);
      assertThat(service.liveDocuments("users")).isEmpty();
    }
  }

  @DatabaseTest
  void anEntityWithoutVersionGetsVersionsThatGrowWithEveryChange(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("notes", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new Note(5, "v1")));
      for (int i = 2; i <= 4; i++) {
        String text = "v" + i;
        app.sessions.inTransaction(s -> s.find(Note.class, 5L).setText(text));
      }
      long lastOutboxId = app.count("SELECT MAX(id) FROM dualwrite_outbox");

      StoredDocument note = awaitDocument("notes", "5", lastOutboxId);
      assertThat(note.data().path("text").asText()).isEqualTo("v4");
      assertThat(app.count("SELECT COUNT(DISTINCT id) FROM dualwrite_outbox WHERE entity = 'notes'")).isEqualTo(4);
    }
  }

  @DatabaseTest
  void severalChangesOfOneEntityInOneTransactionMirrorAsTheLast(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> {
        User user = new User(6, "first@example.com", "First");
        s.persist(user);
        s.flush();
        user.setEmail("second@example.com");
        s.flush();
        user.setEmail("third@example.com");
      });

      assertThat(awaitLastChange(app, "users", "6").data().path("email").asText()).isEqualTo("third@example.com");
      assertThat(app.outboxRows("users")).isEqualTo(1);
    }
  }

  @DatabaseTest
  void aTransactionKeepsThePhaseItStartedWithWhenTheEntityIsMovedMeanwhile(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      try (Session session = app.sessions.openSession()) {
        Transaction tx = session.beginTransaction();
        session.persist(new User(12, "first@example.com", "First"));
        session.flush(); // the transaction has seen users in DUAL_WRITE

        app.dualWrite.phases().move("users", LEGACY_ONLY, "lead", "roll back while a transaction is open");
        session.persist(new User(13, "second@example.com", "Second"));
        tx.commit();
      }

      assertThat(app.outboxRows("users")).as("both writes of the transaction mirrored, in one phase").isEqualTo(2);
      app.sessions.inTransaction(s -> s.persist(new User(14, "third@example.com", "Third")));
      assertThat(app.outboxRows("users")).as("the next transaction sees LEGACY_ONLY").isEqualTo(2);
    }
  }

  @DatabaseTest
  void newOnlyRejectsHibernateWritesNamingTheEntityAndPhase(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", NEW_ONLY);

      assertThatThrownBy(() -> app.sessions.inTransaction(s -> s.persist(new User(8, "x@example.com", "X"))))
          .hasStackTraceContaining("write to users 8 (entity dev.dualwrite.hibernate.entities.User) rejected:"
              + " the entity is in NEW_ONLY and the new service owns it");
      assertThat(app.count("SELECT COUNT(*) FROM app_users")).isZero();
      assertThat(app.outboxRows("users")).isZero();
    }
  }

  @DatabaseTest
  void anEntityWithAFieldJacksonCannotWriteFailsTheSessionFactoryAtStartNamingEntityAndField(TestDatabase db) {
    MirrorFixture.reset(db);
    DualWrite dualWrite = DualWrite.builder().withDataSource(db.dataSource())
        .withEntity(EntityMigration.builder("gizmos").build()).build();
    Map<String, Object> settings = new HashMap<>();
    settings.put(AvailableSettings.DATASOURCE, db.dataSource());
    settings.put(AvailableSettings.HBM2DDL_AUTO, "create-drop");
    DualWriteHibernate.configure(settings, dualWrite);
    StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(settings).build();
    try {
      assertThatThrownBy(() -> new MetadataSources(registry).addAnnotatedClass(Gizmo.class).buildMetadata()
          .buildSessionFactory())
          .isInstanceOf(DualWriteException.class)
          .hasMessageContaining("cannot mirror gizmos (entity " + Gizmo.class.getName() + "): field 'sealed' of type "
              + Gizmo.Sealed.class.getName() + " cannot be written as JSON")
          .hasMessageContaining("@MirrorIgnore");
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
      dualWrite.close();
    }
  }

  @DatabaseTest
  void aBulkJpqlUpdateOnAMirroredEntityIsRejected(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(10, "bulk@example.com", "Before")));

      assertThatThrownBy(() -> app.sessions.inTransaction(
              s -> s.createMutationQuery("update User set name = 'After'").executeUpdate()))
          .hasStackTraceContaining("bulk UPDATE on table 'app_users' of mirrored entity 'users' (phase DUAL_WRITE)")
          .hasStackTraceContaining("It was rejected");
      assertThatThrownBy(() -> app.sessions.inTransaction(
              s -> s.createNativeMutationQuery("delete from app_users").executeUpdate()))
          .hasStackTraceContaining("bulk DELETE FROM on table 'app_users'");
      String name = app.sessions.fromTransaction(s -> s.find(User.class, 10L).getName());
      assertThat(name).isEqualTo("Before");

      // bulk writes to entities that are not mirrored, or not yet mirroring, are none of dualwrite's business
      app.sessions.inTransaction(s -> s.createMutationQuery("delete from Audit").executeUpdate());
      app.moveTo("users", LEGACY_ONLY);
      app.sessions.inTransaction(s -> s.createMutationQuery("update User set name = 'Legacy'").executeUpdate());
    }
  }

  @DatabaseTest
  void aBulkUpdateIsAllowedWithAWarningWhenConfigured(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(), b -> b,
        Map.of(DualWriteSettings.BULK_WRITES, "warn"))) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(11, "warn@example.com", "Before")));

      Integer updated = app.sessions.fromTransaction(
          s -> s.createMutationQuery("update User set name = 'After'").executeUpdate());

      assertThat(updated).isEqualTo(1);
      assertThat(app.outboxRows("users")).as("bulk writes are not mirrored, only reported").isEqualTo(1);
    }
  }
}

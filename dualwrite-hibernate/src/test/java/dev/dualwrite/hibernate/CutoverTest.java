package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.NEW_WRITES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.cutover.WriteConflictException;
import dev.dualwrite.cutover.WriteRouter;
import dev.dualwrite.cutover.WriteThroughException;
import dev.dualwrite.hibernate.entities.Team;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NEW_WRITES end to end, on a real database and the reference service on loopback: monolith writes go to the new
 * service before the legacy transaction commits, the service's own writes come back into legacy, conflicts end on one
 * winner, and the step back to NEW_READS keeps every write.
 */
class CutoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RelayConfig NO_RELAY = MirrorFixture.quickRelay().withEnabled(false).build();

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aMonolithWriteReachesTheNewServiceBeforeTheLegacyTransactionCommits(TestDatabase db) {
    DualWriteTables.reset(db);
    // no relay: whatever the service holds at commit came through the write-through
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(), b -> b.withRelay(NO_RELAY), Map.of())) {
      app.moveTo("users", NEW_WRITES);
      app.sessions.inTransaction(s -> {
        s.persist(new User(1, "ada@example.com", "Ada"));
        s.flush();
        assertThat(service.document("users", "1")).as("not sent before the transaction completes").isEmpty();
      });
      long version = DualWriteTables.lastOutboxRow(db, "users", "1").id();
      assertThat(service.document("users", "1")).hasValueSatisfying(d -> {
        assertThat(d.version()).isEqualTo(version);
        assertThat(d.data().path("name").asText()).isEqualTo("Ada");
      });

      app.sessions.inTransaction(s -> s.find(User.class, 1L).setName("Ada Lovelace"));
      assertThat(service.document("users", "1").orElseThrow().data().path("name").asText())
          .isEqualTo("Ada Lovelace");
      app.sessions.inTransaction(s -> s.remove(s.find(User.class, 1L)));
      assertThat(service.document("users", "1").orElseThrow().deleted()).isTrue();
    }
  }

  @DatabaseTest
  void withTheServiceDownTheLegacyTransactionFailsWithTheDocumentedMessageAndNothingIsWritten(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(), b -> b.withRelay(NO_RELAY), Map.of())) {
      app.moveTo("users", NEW_WRITES);
      service.stop();
      Throwable failure = catchFailure(() -> app.sessions.inTransaction(
          s -> s.persist(new User(2, "grace@example.com", "Grace"))));
      WriteThroughException writeThrough = cause(failure, WriteThroughException.class);
      assertThat(writeThrough.getMessage())
          .startsWith("write to users 2 (UPSERT) failed: the entity is in NEW_WRITES, where the new service is"
              + " authoritative and every write must reach it before the legacy transaction commits")
          .contains("The transaction is rolled back and nothing of it was written")
          .contains("dualwrite phase users NEW_READS")
          .doesNotContain("grace@example.com");
      assertThat(app.count("SELECT COUNT(*) FROM app_users WHERE id = 2")).isZero();
      assertThat(app.outboxRows("users")).isZero();

      service.restart();
      app.sessions.inTransaction(s -> s.persist(new User(2, "grace@example.com", "Grace")));
      assertThat(service.document("users", "2")).isPresent();
      assertThat(app.count("SELECT COUNT(*) FROM app_users WHERE id = 2")).isOne();
    }
  }

  @DatabaseTest
  void aWriteThroughTheServicesOwnApiReachesLegacyWhereAJoinSeesItAndIsNotEchoed(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.sessions.inTransaction(s -> {
        s.persist(new Team(7, "Analytical Engines"));
        s.persist(new User(3, "charles@example.com", "Charles"));
      });
      app.moveTo("users", NEW_WRITES);
      await().until(() -> app.dualWrite.reverseSync().status("users").started());

      service.writeThroughOwnApi("users", "3", user(3, "charles@example.com", "Charles Babbage", 7L));
      service.writeThroughOwnApi("users", "40", user(40, "ada@example.com", "Ada", 7L));

      await().untilAsserted(() -> assertThat(teamOf(app, 40)).isEqualTo("Analytical Engines / Ada"));
      await().untilAsserted(() -> assertThat(teamOf(app, 3)).isEqualTo("Analytical Engines / Charles Babbage"));
      assertThat(app.count("SELECT COUNT(*) FROM dualwrite_outbox WHERE entity = 'users' AND entity_id IN ('3', '40')"))
          .as("changes synced back are not mirrored again").isZero();
      ReverseSyncStatus status = app.dualWrite.reverseSync().status("users");
      assertThat(status.applied()).isEqualTo(2);
      assertThat(status.caughtUp()).isTrue();
      assertThat(status.consumer()).isNotNull();

      // a monolith write of the synced row is written through on top of the service's version
      app.sessions.inTransaction(s -> s.find(User.class, 40L).setName("Ada Lovelace"));
      assertThat(service.document("users", "40").orElseThrow().data().path("name").asText())
          .isEqualTo("Ada Lovelace");
    }
  }

  @DatabaseTest
  void theWriteRouterRunsTheWriteThePhaseSaysAndWaitsUntilLegacyHasTheServicesChange(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.sessions.inTransaction(s -> s.persist(new Team(8, "Difference Engines")));
      WriteRouter users = WriteRouter.builder(app.dualWrite, "users").build();
      app.moveTo("users", NEW_READS);
      assertThat(users.writesToNewService()).isFalse();
      assertThat(users.write(() -> "legacy", () -> "new service")).isEqualTo("legacy");

      app.moveTo("users", NEW_WRITES);
      await().until(() -> app.dualWrite.reverseSync().status("users").started());
      assertThat(users.writesToNewService()).isTrue();
      StoredDocument written = users.write(() -> null,
          () -> service.writeThroughOwnApi("users", "60", user(60, "joan@example.com", "Joan", 8L)));
      users.awaitInLegacy("60", written.version());
      // no waiting of the test's own: the join sees the service's write at once
      assertThat(teamOf(app, 60)).isEqualTo("Difference Engines / Joan");

      assertThatThrownBy(() -> WriteRouter.builder(app.dualWrite, "users").withLegacyWait(Duration.ofMillis(20))
          .build().awaitInLegacy("61", 1))
          .hasMessageStartingWith("users 61 v1 did not reach legacy within PT0.02S (legacy holds no version of it");
    }
  }

  @DatabaseTest
  void aMonolithWriteBasedOnARowTheServiceChangedFailsAsAConflictAndBothStoresKeepTheServicesChange(
      TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(5, "alan@example.com", "Alan")));
      await().until(() -> service.document("users", "5").isPresent());
      app.moveTo("users", NEW_WRITES);
      await().until(() -> app.dualWrite.reverseSync().status("users").started());

      Throwable failure = catchFailure(() -> app.sessions.inTransaction(s -> {
        User read = s.find(User.class, 5L);
        // the service changes the row after the monolith read it
        service.writeThroughOwnApi("users", "5", user(5, "alan@example.com", "Alan Turing", null));
        read.setName("Alan M.");
      }));
      // either the write-through met the service's newer version, or the reverse sync had already applied it and
      // Hibernate's own version check refused the stale row: both are optimistic-lock failures
      assertThat(failure).isNotNull();
      assertThat(hasCause(failure, OptimisticLockException.class)
          || hasCause(failure, org.hibernate.StaleStateException.class)).as(failure.toString()).isTrue();
      if (hasCause(failure, WriteConflictException.class)) {
        assertThat(cause(failure, WriteConflictException.class).getMessage())
            .startsWith("write to users 5 refused: the entity is in NEW_WRITES")
            .contains("read the row again and retry");
      }

      await().untilAsserted(() -> assertThat(nameOf(app, 5)).isEqualTo("Alan Turing"));
      assertThat(service.document("users", "5").orElseThrow().data().path("name").asText()).isEqualTo("Alan Turing");
      // the retry the message asks for succeeds
      app.sessions.inTransaction(s -> s.find(User.class, 5L).setName("Alan M. Turing"));
      assertThat(service.document("users", "5").orElseThrow().data().path("name").asText())
          .isEqualTo("Alan M. Turing");
      assertThat(nameOf(app, 5)).isEqualTo("Alan M. Turing");
    }
  }

  @DatabaseTest
  void aStepBackFromNewWritesWaitsForTheReverseSyncAndLosesNothingWrittenOnEitherSide(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      mirroredUsers(app, 10, 20);
      app.moveTo("users", NEW_WRITES);
      await().until(() -> app.dualWrite.reverseSync().status("users").started());

      // writes on both sides; the service's own API takes user 11 far past the change sequence
      app.sessions.inTransaction(s -> s.find(User.class, 10L).setName("monolith in NEW_WRITES"));
      for (int i = 0; i < 60; i++) {
        service.writeThroughOwnApi("users", "11", user(11, "u11@example.com", "service " + i, null));
      }
      service.writeThroughOwnApi("users", "12", null);
      service.writeThroughOwnApi("users", "30", user(30, "u30@example.com", "created by the service", null));

      await().untilAsserted(() -> assertThat(app.dualWrite.phases().checkGates("users", NEW_READS))
          .allSatisfy(g -> assertThat(g.passed()).as(g.describe()).isTrue()));
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      // the new service is the truth in NEW_WRITES: legacy holds its copy of every write, either side's
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users);
      app.dualWrite.phases().move("users", NEW_READS, "test", "step back");

      // legacy is authoritative again: its writes are mirrored above every version the service gave
      app.sessions.inTransaction(s -> s.find(User.class, 11L).setName("monolith after the step back"));
      app.sessions.inTransaction(s -> s.find(User.class, 30L).setName("renamed in legacy"));
      await().untilAsserted(() -> assertThat(service.document("users", "11").orElseThrow().data().path("name")
          .asText()).isEqualTo("monolith after the step back"));
      await().untilAsserted(() -> assertThat(service.document("users", "30").orElseThrow().data().path("name")
          .asText()).isEqualTo("renamed in legacy"));

      // legacy is the truth again: the new service holds every write, either phase's
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users);
      assertThat(nameOf(app, 10)).isEqualTo("monolith in NEW_WRITES");
      assertThat(app.count("SELECT COUNT(*) FROM app_users WHERE id = 12")).isZero();
      StoredDocument eleven = service.document("users", "11").orElseThrow();
      assertThat(eleven.version()).isEqualTo(DualWriteTables.lastOutboxRow(db, "users", "11").id());
    }
  }

  @DatabaseTest
  void inNewWritesARepairWritesTheNewServicesStateIntoLegacy(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      mirroredUsers(app, 70, 75);
      app.moveTo("users", NEW_WRITES);
      // legacy drifts behind dualwrite's back: a row changed, a row lost, a row the service never had
      db.execute("UPDATE app_users SET name = 'drifted' WHERE id = 71", "DELETE FROM app_users WHERE id = 72",
          "INSERT INTO app_users (id, version, email, name) VALUES (79, 0, 'stray@example.com', 'Stray')");

      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      dev.dualwrite.verify.Verifier verifier = dev.dualwrite.verify.Verifier.builder(app.dualWrite, users).build();
      // the counts keep their meaning (missing: in the new service), whichever store is the truth
      assertThat(verifier.verify().summary()).isEqualTo("verify users: compared=5 missing=1 extra=1 different=1");
      dev.dualwrite.verify.VerificationReport repair = verifier.repair();
      assertThat(repair.repaired()).isEqualTo(3);
      assertThat(nameOf(app, 71)).isEqualTo("User 71");
      assertThat(nameOf(app, 72)).isEqualTo("User 72");
      assertThat(app.count("SELECT COUNT(*) FROM app_users WHERE id = 79")).as("legacy's copy follows the truth")
          .isZero();
      assertThat(service.document("users", "71").orElseThrow().data().path("name").asText()).isEqualTo("User 71");
      DualWriteAssertions.assertStoresAgree(app.dualWrite, users);
    }
  }

  @DatabaseTest
  void theStepBackIsRefusedWhileTheReverseSyncIsBehind(TestDatabase db) {
    DualWriteTables.reset(db);
    // this node cannot write users back (no session factory), so the reverse sync never catches up
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl());
        var other = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl()))) {
      app.moveTo("users", NEW_WRITES);
      await().until(() -> app.dualWrite.reverseSync().status("users").started());
      app.sessions.close();
      service.writeThroughOwnApi("users", "50", user(50, "late@example.com", "Late", null));

      assertThatThrownBy(() -> other.phases().move("users", NEW_READS, "test", "too early"))
          .isInstanceOf(PhaseMoveException.class)
          .hasMessageContaining("reverse-sync-caught-up")
          .hasMessageContaining("not applied yet");
    }
  }

  /** Users {@code from} to {@code to} (exclusive), written in DUAL_WRITE and delivered to the service. */
  private void mirroredUsers(MirrorFixture app, long from, long to) {
    app.moveTo("users", DUAL_WRITE);
    for (long id = from; id < to; id++) {
      long user = id;
      app.sessions.inTransaction(s -> s.persist(new User(user, "u" + user + "@example.com", "User " + user)));
    }
    await().until(() -> service.document("users", Long.toString(to - 1)).isPresent());
  }

  private static String teamOf(MirrorFixture app, long id) {
    return app.sessions.fromTransaction(s -> s.createNativeQuery("SELECT t.title, u.name FROM app_users u"
        + " JOIN app_teams t ON t.id = u.team_id WHERE u.id = " + id, Object[].class).getResultList().stream()
        .map(row -> row[0] + " / " + row[1]).findFirst().orElse(null));
  }

  private static String nameOf(MirrorFixture app, long id) {
    return app.sessions.fromTransaction(s -> s.createNativeQuery("SELECT name FROM app_users WHERE id = " + id,
        String.class).getResultList().stream().findFirst().orElse(null));
  }

  private static JsonNode user(long id, String email, String name, Long team) {
    ObjectNode user = JSON.createObjectNode().put("id", id).put("version", 0).put("email", email).put("name", name);
    user.putNull("born");
    if (team == null) {
      user.putNull("team");
    } else {
      user.put("team", team);
    }
    return user;
  }

  private static Throwable catchFailure(Runnable work) {
    try {
      work.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.outbox.DeliveryPause;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pausing and resuming one entity's delivery across two nodes: nothing of it is sent meanwhile, nothing is lost. */
class DeliveryPauseTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aPausedEntityWaitsInTheOutboxOnEveryNodeWhileOthersFlowAndArrivesWhole_whenResumedOnAnotherNode(
      TestDatabase db) {
    MirrorFixture.reset(db);
    db.execute("DELETE FROM dualwrite_delivery_pause");
    try (MirrorFixture nodeA = MirrorFixture.start(db, service.baseUrl())) {
      nodeA.moveTo("users", DUAL_WRITE);
      nodeA.moveTo("notes", DUAL_WRITE);
      assertThat(nodeA.dualWrite.outbox().pauseDelivery("users", "ops", "the service's users table is migrating"))
          .isTrue();
      assertThat(nodeA.dualWrite.outbox().pauseDelivery("users", "someone else", null)).as("paused already").isFalse();

      try (DualWrite nodeB = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl()))) {
        nodeA.sessions.inTransaction(s -> {
          for (long id = 1; id <= 5; id++) {
            s.persist(new User(id, "user" + id + "@example.com", "User " + id));
          }
        });
        nodeA.sessions.inTransaction(s -> s.persist(new Note(1L, "written after the users")));

        // the note's outbox row comes after the users' rows: both relays claimed past them
        await().atMost(WAIT).until(() -> service.liveDocuments("notes").size() == 1);
        assertThat(service.liveDocuments("users")).as("nothing of a paused entity is sent").isEmpty();
        assertThat(nodeB.outbox().backlog().get("users").pending()).isEqualTo(5);
        assertThat(nodeB.outbox().hasPending("users", "3")).as("read-your-writes still sees them").isTrue();
        assertThat(nodeB.outbox().pausedDeliveries()).extracting(DeliveryPause::entity, DeliveryPause::pausedBy,
            DeliveryPause::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("users", "ops", "the service's users table is migrating"));

        assertThat(nodeB.outbox().resumeDelivery("users")).isTrue();
        assertThat(nodeB.outbox().resumeDelivery("users")).as("not paused any more").isFalse();

        assertThat(nodeB.relay().drain(WAIT)).isTrue();
        assertThat(service.liveDocuments("users")).hasSize(5);
        assertThat(nodeA.dualWrite.outbox().pausedDeliveries()).isEmpty();
      }
    }
  }

  @DatabaseTest
  void aPauseNamesWhatIsMissing(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture node = MirrorFixture.start(db, null)) {
      assertThatThrownBy(() -> node.dualWrite.outbox().pauseDelivery(" ", "ops", null))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("entity is blank; give the entity's name");
      assertThatThrownBy(() -> node.dualWrite.outbox().pauseDelivery("users", null, null))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("actor is blank; give the actor's name");
    }
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.hibernate.entities.Gadget;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Scripted answers from the new service: 5xx bursts, timeouts, permanent rejections. */
class DeliveryFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String APPLIED = "{\"outcome\":\"APPLIED\",\"version\":0}";

  private final MockWebServer server = new MockWebServer();
  private final List<Instant> retriesDueAt = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private MirrorFixture app(TestDatabase db) {
    MirrorFixture.reset(db);
    MirrorFixture app = MirrorFixture.start(db, null, b -> b
        .withTargetClient(HttpTargetClient.builder(server.url("/mirror").toString())
            .withCallTimeout(Duration.ofMillis(300)).build())
        .onMirrorEvent(new MirrorListener() {
          @Override
          public void onRetryScheduled(OutboxEntry entry, Integer status, String error, Instant nextAttemptAt) {
            retriesDueAt.add(nextAttemptAt);
          }
        }), Map.of());
    app.moveTo("users", DUAL_WRITE);
    app.moveTo("notes", DUAL_WRITE);
    return app;
  }

  private static MockResponse answer(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  @DatabaseTest
  void aBurstOf5xxIsRetriedWithGrowingBackoffThenDelivered(TestDatabase db) {
    server.enqueue(answer(503, "{\"error\":\"overloaded\"}"));
    server.enqueue(answer(500, "{\"error\":\"oops\"}"));
    server.enqueue(answer(502, "{\"error\":\"bad gateway\"}"));
    server.enqueue(answer(200, APPLIED));
    try (MirrorFixture app = app(db)) {
      app.sessions.inTransaction(s -> s.persist(new User(1, "a@example.com", "A")));

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("users").delivered() == 1);
      MirrorStats stats = app.dualWrite.mirrorStats("users");
      assertThat(stats.retried()).isEqualTo(3);
      assertThat(stats.deadLettered()).isZero();
      assertThat(server.getRequestCount()).isEqualTo(4);
      // QUICK_RETRIES backs off from 20 ms, doubling. A retry is scheduled only after the attempt before it, which is
      // made only once it is due, so consecutive due times lie at least the growing delay apart however slow the
      // machine is (less 1 ms for the database's timestamp precision)
      assertThat(retriesDueAt).hasSize(3);
      assertThat(Duration.between(retriesDueAt.get(0), retriesDueAt.get(1))).isGreaterThan(Duration.ofMillis(39));
      assertThat(Duration.between(retriesDueAt.get(1), retriesDueAt.get(2))).isGreaterThan(Duration.ofMillis(79));
    }
  }

  @DatabaseTest
  void aRelayWhoseCircuitOpenedDeliversAgainOnceTheBreakerDelayHasPassed(TestDatabase db) {
    for (int i = 0; i < 6; i++) { // the fixture's breaker opens after 5 failures in a row, for 200 ms
      server.enqueue(answer(503, "{\"error\":\"down\"}"));
    }
    server.enqueue(answer(200, APPLIED));
    try (MirrorFixture app = app(db)) {
      app.sessions.inTransaction(s -> s.persist(new User(4, "d@example.com", "D")));

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("users").delivered() == 1);
      assertThat(server.getRequestCount()).isEqualTo(7);
    }
  }

  @DatabaseTest
  void aTimeoutIsRetriedThenDelivered(TestDatabase db) {
    server.enqueue(new MockResponse.Builder().code(200).body(APPLIED).headersDelay(2, TimeUnit.SECONDS).build());
    server.enqueue(answer(200, APPLIED));
    try (MirrorFixture app = app(db)) {
      app.sessions.inTransaction(s -> s.persist(new User(2, "b@example.com", "B")));

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("users").delivered() == 1);
      assertThat(app.dualWrite.mirrorStats("users").retried()).isGreaterThanOrEqualTo(1);
      assertThat(app.dualWrite.mirrorStats("users").backlog()).isZero();
    }
  }

  @DatabaseTest
  void aPermanentRejectionIsDeadLetteredWithItsReasonAndRetriedOnRequest(TestDatabase db) {
    server.enqueue(answer(422, "{\"error\":\"email carol@example.com is on the block list\"}"));
    try (MirrorFixture app = app(db)) {
      app.sessions.inTransaction(s -> s.persist(new User(3, "carol@example.com", "Carol")));

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("users").deadLetters() == 1);
      DeadLetter letter = app.dualWrite.outbox().deadLetters("users", 10).get(0);
      assertThat(letter.entityId()).isEqualTo("3");
      assertThat(letter.lastStatus()).isEqualTo(422);
      assertThat(letter.attempts()).isEqualTo(1);
      assertThat(letter.lastError()).contains("is on the block list")
          .as("the sensitive email is not kept").doesNotContain("carol@example.com");
      assertThat(app.dualWrite.mirrorStats("users").deadLettered()).isEqualTo(1);

      // the cause is fixed on the service's side; the operator retries the dead letter
      server.enqueue(answer(200, APPLIED));
      assertThat(app.dualWrite.outbox().retryDeadLetter(letter.id())).isTrue();
      app.dualWrite.relay().nudge();

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("users").delivered() == 1);
      assertThat(app.dualWrite.outbox().deadLetters("users", 10)).isEmpty();
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  @DatabaseTest
  void aChangeThatKeepsFailingBecomesADeadLetterAfterItsLastAttemptAndCanBeDiscarded(TestDatabase db) {
    for (int i = 0; i < 3; i++) {
      server.enqueue(answer(503, "{\"error\":\"still down\"}"));
    }
    try (MirrorFixture app = app(db)) {
      app.moveTo("gadgets", DUAL_WRITE); // gadgets give up after 3 attempts
      app.sessions.inTransaction(s -> s.persist(new Gadget(1, null)));

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("gadgets").deadLetters() == 1);
      DeadLetter letter = app.dualWrite.outbox().deadLetters("gadgets", 10).get(0);
      assertThat(letter.attempts()).isEqualTo(3);
      assertThat(letter.lastStatus()).isEqualTo(503);
      assertThat(letter.lastError()).contains("gave up after 3 attempts").contains("still down");
      assertThat(server.getRequestCount()).isEqualTo(3);

      assertThat(app.dualWrite.outbox().discardDeadLetter(letter.id())).isTrue();
      assertThat(app.dualWrite.outbox().deadLetters("gadgets", 10)).isEmpty();
      assertThat(app.dualWrite.mirrorStats("gadgets").backlog()).isZero();
    }
  }
}

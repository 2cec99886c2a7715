package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.internal.NodeServices;
import dev.dualwrite.phase.Store;
import dev.dualwrite.read.ByIdReader;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadYourWrites;
import dev.dualwrite.read.internal.LocalUndeliveredWrites;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Read-your-writes end to end: in NEW_READS, a key written through Hibernate is read from legacy until its change has
 * reached the new service, then from the new service.
 */
class ReadYourWritesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** What the tests read: the users document's fields (the service's JSON has more; they are ignored). */
  record Account(long id, long version, String email, String name) {}

  private ReferenceMirrorService service;
  private TargetClient reads;

  @BeforeEach
  void startService() {
    service = ReferenceMirrorService.start();
    reads = HttpTargetClient.builder(service.baseUrl()).build();
  }

  @AfterEach
  void stopService() {
    reads.close();
    service.close();
  }

  /** The legacy read: its own session, so it also works on a shadow executor thread. */
  private static Function<Long, Account> legacy(MirrorFixture app) {
    return id -> app.sessions.fromSession(s -> {
      User user = s.find(User.class, id);
      return user == null ? null : new Account(user.getId(), user.getVersion(), user.getEmail(), user.getName());
    });
  }

  /** Delivers everything pending with a relay node of its own, then stops it. */
  private void deliverAll(TestDatabase db) {
    try (DualWrite relay = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl()))) {
      assertThat(relay.relay().drain(WAIT)).isTrue();
    }
  }

  private String emailInService(long id) {
    return service.document("users", Long.toString(id)).orElseThrow().data().path("email").asText();
  }

  /** Users in NEW_READS with every key in the canary. */
  private static void allKeysReadNew(MirrorFixture app) {
    app.moveTo("users", NEW_READS);
    app.dualWrite.phases().setCanaryPercent("users", 100, "test", "every key in the canary");
  }

  @DatabaseTest
  void aKeyWrittenOnThisNodeIsReadFromLegacyUntilItsChangeIsDeliveredThenFromTheNewService(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(1, "ada@example.com", "Ada")));
      deliverAll(db);
      allKeysReadNew(app);
      try (ReadRouter router = ReadRouter.builder(app.dualWrite, "users").withTargetClient(reads).build()) {
        ByIdReader<Long, Account> users = router.byId(Account.class, legacy(app));
        await().atMost(WAIT).until(() -> router.storeFor(1L) == Store.NEW);

        app.sessions.inTransaction(s -> s.find(User.class, 1L).setEmail("ada@lovelace.org"));
        Account justWritten = users.get(1L).orElseThrow();

        assertThat(justWritten.email()).isEqualTo("ada@lovelace.org");
        assertThat(justWritten.version()).isEqualTo(1);
        assertThat(emailInService(1)).as("the new service does not have it yet").isEqualTo("ada@example.com");
        assertThat(router.stats().undeliveredWrites()).isEqualTo(1);
        assertThat(router.stats().fallbacks()).isZero();

        deliverAll(db);
        await().atMost(WAIT).until(() -> router.storeFor(1L) == Store.NEW);
        long servedByNew = router.stats().servedByNew();
        Account delivered = users.get(1L).orElseThrow();

        assertThat(delivered).isEqualTo(justWritten);
        assertThat(router.stats().servedByNew()).isEqualTo(servedByNew + 1);
      }
    }
  }

  @DatabaseTest
  void thisNodesRelayDeliveringTheChangeSendsTheKeyBackToTheNewService(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      allKeysReadNew(app);
      try (ReadRouter router = ReadRouter.builder(app.dualWrite, "users").withTargetClient(reads).build()) {
        ByIdReader<Long, Account> users = router.byId(Account.class, legacy(app));
        service.stop();

        app.sessions.inTransaction(s -> s.persist(new User(2, "grace@example.com", "Grace")));

        assertThat(users.get(2L)).hasValueSatisfying(a -> assertThat(a.name()).isEqualTo("Grace"));
        assertThat(router.stats().undeliveredWrites()).isEqualTo(1);
        assertThat(router.stats().fallbacks()).as("the stopped service was not even asked").isZero();

        service.restart();
        await().atMost(WAIT).until(() -> service.document("users", "2").isPresent());
        await().atMost(WAIT).until(() -> router.storeFor(2L) == Store.NEW);
        assertThat(users.get(2L)).hasValueSatisfying(a -> assertThat(a.email()).isEqualTo("grace@example.com"));
        assertThat(router.stats().servedByNew()).isEqualTo(1);
      }
    }
  }

  @DatabaseTest
  void aKeyWhoseChangeWasDeadLetteredIsReadFromLegacyUntilTheDeadLetterIsRetriedAndDelivered(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      allKeysReadNew(app);
      try (ReadRouter router = ReadRouter.builder(app.dualWrite, "users").withTargetClient(reads).build()) {
        ByIdReader<Long, Account> users = router.byId(Account.class, legacy(app));
        app.sessions.inTransaction(s -> s.persist(new User(3, "ada@example.com", "Ada")));
        await().atMost(WAIT).until(() -> router.storeFor(3L) == Store.NEW);

        service.failNextRequests(1, 422);
        app.sessions.inTransaction(s -> s.find(User.class, 3L).setEmail("ada@lovelace.org"));
        await().atMost(WAIT).until(() -> !app.dualWrite.outbox().deadLetters("users", 10).isEmpty());
        ((LocalUndeliveredWrites) NodeServices.of(app.dualWrite).undeliveredWrites()).sweep();

        assertThat(router.storeFor(3L)).as("the new service never got the change").isEqualTo(Store.LEGACY);
        assertThat(users.get(3L)).hasValueSatisfying(a -> assertThat(a.email()).isEqualTo("ada@lovelace.org"));
        assertThat(emailInService(3)).isEqualTo("ada@example.com");

        assertThat(app.dualWrite.outbox().retryDeadLetters("users")).isEqualTo(1);
        await().atMost(WAIT).until(() -> router.storeFor(3L) == Store.NEW);
        assertThat(emailInService(3)).isEqualTo("ada@lovelace.org");
      }
    }
  }

  @DatabaseTest
  void aKeyWrittenOnAnotherNodeIsReadFromLegacyOnlyWhenTheOutboxIsAsked(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture writer = MirrorFixture.start(db, null);
        DualWrite reader = MirrorFixture.relayNode(db, b -> b)) {
      writer.moveTo("users", DUAL_WRITE);
      writer.sessions.inTransaction(s -> s.persist(new User(3, "alan@example.com", "Alan")));
      deliverAll(db);
      allKeysReadNew(writer);
      writer.sessions.inTransaction(s -> s.find(User.class, 3L).setEmail("alan@turing.org"));
      reader.phases().refresh();
      try (ReadRouter thisNode = ReadRouter.builder(reader, "users").withTargetClient(reads).build();
          ReadRouter allNodes = ReadRouter.builder(reader, "users").withTargetClient(reads)
              .withReadYourWrites(ReadYourWrites.ALL_NODES).build()) {

        Account fromThisNode = thisNode.byId(Account.class, legacy(writer)).get(3L).orElseThrow();
        Account fromAllNodes = allNodes.byId(Account.class, legacy(writer)).get(3L).orElseThrow();

        assertThat(fromThisNode.email()).as("the new service, which lags behind").isEqualTo("alan@example.com");
        assertThat(fromAllNodes.email()).as("legacy: the outbox still holds the change").isEqualTo("alan@turing.org");
        assertThat(allNodes.stats().undeliveredWrites()).isEqualTo(1);

        deliverAll(db);
        assertThat(allNodes.storeFor(3L)).isEqualTo(Store.NEW);
        assertThat(allNodes.byId(Account.class, legacy(writer)).get(3L))
            .hasValueSatisfying(a -> assertThat(a.email()).isEqualTo("alan@turing.org"));
      }
    }
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The write path under faults: outages, crashes between commit and delivery, concurrent relays, reordering. */
class WriteFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void changesMadeWhileTheServiceIsDownAllArriveWhenItIsBack(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", DUAL_WRITE);
      service.stop();
      writeUsers(app.sessions, 1, 20);
      app.sessions.inTransaction(s -> s.remove(s.find(User.class, 3L)));

      await().atMost(WAIT).until(() -> app.dualWrite.mirrorStats("users").retried() > 0);
      assertThat(service.liveDocuments("users")).isEmpty();

      service.restart();
      assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
      assertServiceMatchesLegacy(app.sessions);
      assertThat(app.dualWrite.mirrorStats("users").backlog()).isZero();
    }
  }

  @DatabaseTest
  void aFreshRelayDeliversWhatACrashedNodeCommittedEachChangeOnceAndInOrder(TestDatabase db) {
    MirrorFixture.reset(db);
    long committed;
    try (MirrorFixture crashed = MirrorFixture.start(db, null)) { // commits, but its relay never runs
      crashed.moveTo("users", DUAL_WRITE);
      writeUsers(crashed.sessions, 1, 10);
      for (long id = 1; id <= 10; id++) {
        long userId = id;
        crashed.sessions.inTransaction(s -> s.find(User.class, userId).setName("renamed-" + userId));
      }
      crashed.sessions.inTransaction(s -> s.remove(s.find(User.class, 4L)));
      committed = crashed.outboxRows("users");
      assertThat(committed).isEqualTo(21);
      assertThat(service.requestCount()).isZero();

      // one relay loop: two loops claiming beside each other may split a key's changes between them and deliver the
      // later one first, which the version rule answers STALE (in effect in order, docs/write-path.md), and this test
      // counts arrivals in order
      try (DualWrite fresh = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl())
          .withRelay(MirrorFixture.quickRelay().withConcurrency(1).build()))) {
        assertThat(fresh.relay().drain(WAIT)).isTrue();
        assertServiceMatchesLegacy(crashed.sessions);
        assertThat(service.appliedCount()).as("each change applied once").isEqualTo(committed);
        assertThat(service.staleCount()).as("none arrived out of order").isZero();
      }
    }
  }

  @DatabaseTest
  void changesClaimedByARelayThatDiedAreDeliveredOnceItsLeaseEnds(TestDatabase db) throws Exception {
    MirrorFixture.reset(db);
    try (MirrorFixture node = MirrorFixture.start(db, null)) {
      node.moveTo("users", DUAL_WRITE);
      writeUsers(node.sessions, 1, 5);
      OutboxTable outbox = new OutboxTable(db.dataSource(), DatabaseDialect.detect(db.dataSource()), Clock.systemUTC());
      Instant leaseEnd = Instant.now().plusSeconds(2);
      assertThat(outbox.claim(100, leaseEnd, "relay-that-dies")).hasSize(5);

      try (DualWrite survivor = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl()))) {
        assertThat(survivor.relay().drain(Duration.ofMillis(300))).as("leased rows are not taken early").isFalse();
        assertThat(service.liveDocuments("users")).isEmpty();

        assertThat(survivor.relay().drain(WAIT)).isTrue();
        assertThat(Instant.now()).isAfterOrEqualTo(leaseEnd);
        assertServiceMatchesLegacy(node.sessions);
      }
    }
  }

  @DatabaseTest
  void twoRelaysDrainOneOutboxUnderContinuousWritesWithoutClaimingARowTwice(TestDatabase db) throws Exception {
    MirrorFixture.reset(db);
    Claims claims = new Claims();
    TargetClient targetA = new ClaimRecorder("A", claims, HttpTargetClient.builder(service.baseUrl()).build());
    TargetClient targetB = new ClaimRecorder("B", claims, HttpTargetClient.builder(service.baseUrl()).build());
    RelayConfig relay = MirrorFixture.quickRelay().withBatchSize(10).withConcurrency(2).build();
    try (MirrorFixture nodeA = MirrorFixture.start(db, null, b -> b.withTargetClient(targetA).withRelay(relay),
            Map.of());
        DualWrite nodeB = MirrorFixture.relayNode(db, b -> b.withTargetClient(targetB).withRelay(relay))) {
      nodeA.moveTo("users", DUAL_WRITE);
      nodeA.moveTo("notes", DUAL_WRITE);
      writeUsers(nodeA.sessions, 1, 30);

      ExecutorService writers = Executors.newFixedThreadPool(3);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < 80; i++) {
            long id = random.nextLong(1, 31);
            String name = "w" + writer + "-" + i;
            try {
              nodeA.sessions.inTransaction(s -> {
                s.find(User.class, id).setName(name);
                Note note = s.find(Note.class, id);
                if (note == null) {
                  s.persist(new Note(id, name));
                } else {
                  note.setText(name);
                }
              });
            } catch (RuntimeException concurrentUpdateOfTheSameRow) {
              // optimistic locking or a unique-key race between writers: the transaction rolled back, fine
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
      writers.shutdown();

      assertThat(nodeA.dualWrite.relay().drain(WAIT)).isTrue();
      assertThat(nodeB.relay().drain(WAIT)).isTrue();
      assertThat(claims.overlaps.get()).as("a change in flight on two relays at once").isZero();
      assertThat(claims.deliveries).allSatisfy((id, count) -> assertThat(count).as("outbox #" + id).isEqualTo(1));
      assertThat(claims.deliveries).hasSize((int) nodeA.count("SELECT COUNT(*) FROM dualwrite_outbox"));
      assertThat(claims.nodes).as("both nodes delivered").containsExactlyInAnyOrder("A", "B");
      assertServiceMatchesLegacy(nodeA.sessions);
      Map<String, StoredDocument> notes = service.liveDocuments("notes");
      List<Note> legacyNotes = nodeA.sessions.fromTransaction(
          s -> s.createSelectionQuery("from Note", Note.class).getResultList());
      assertThat(notes).hasSize(legacyNotes.size());
      for (Note note : legacyNotes) {
        assertThat(notes.get(String.valueOf(note.getId())).data().path("text").asText()).isEqualTo(note.getText());
      }
    }
  }

  @DatabaseTest
  void theLastCommittedUpdateWinsWhateverOrderTheDeliveriesArriveIn(TestDatabase db) {
    MirrorFixture.reset(db);
    service.respondSlowly(Duration.ofMillis(5));
    try (MirrorFixture writer = MirrorFixture.start(db, null)) {
      writer.moveTo("users", DUAL_WRITE);
      writeUsers(writer.sessions, 1, 1);
      for (int i = 1; i <= 30; i++) {
        String email = "v" + i + "@example.com";
        writer.sessions.inTransaction(s -> s.find(User.class, 1L).setEmail(email));
      }

      ReorderingTarget reordering = new ReorderingTarget(HttpTargetClient.builder(service.baseUrl()).build());
      RelayConfig oneAtATime = MirrorFixture.quickRelay().withBatchSize(1).withConcurrency(2).build();
      try (DualWrite relay = MirrorFixture.relayNode(db, b -> b.withTargetClient(reordering).withRelay(oneAtATime))) {
        assertThat(relay.relay().drain(WAIT)).isTrue();
      }

      StoredDocument user = service.document("users", "1").orElseThrow();
      assertThat(user.version()).isEqualTo(DualWriteTables.lastOutboxRow(db, "users", "1").id());
      assertThat(user.data().path("version").asLong()).isEqualTo(30);
      assertThat(user.data().path("email").asText()).isEqualTo("v30@example.com");
      assertThat(service.staleCount()).as("older versions did arrive after newer ones").isPositive();
    }
  }

  private static void writeUsers(SessionFactory sessions, long from, long to) {
    sessions.inTransaction(s -> {
      for (long id = from; id <= to; id++) {
        s.persist(new User(id, "user" + id + "@example.com", "User " + id));
      }
    });
  }

  /** The new service holds exactly the live users legacy holds, with the same version and fields. */
  private void assertServiceMatchesLegacy(SessionFactory sessions) {
    List<User> legacy = sessions.fromTransaction(
        s -> s.createSelectionQuery("from User order by id", User.class).getResultList());
    Map<String, StoredDocument> mirrored = service.liveDocuments("users");
    assertThat(mirrored.keySet()).containsExactlyInAnyOrderElementsOf(
        legacy.stream().map(u -> String.valueOf(u.getId())).toList());
    for (User user : legacy) {
      StoredDocument doc = mirrored.get(String.valueOf(user.getId()));
      assertThat(doc.data().path("version").asLong()).as("@Version of user %s", user.getId())
          .isEqualTo(user.getVersion());
      assertThat(doc.data().path("email").asText()).isEqualTo(user.getEmail());
      assertThat(doc.data().path("name").asText()).isEqualTo(user.getName());
    }
  }

  /** What two nodes' relays delivered: per outbox row, and which rows were in flight. */
  private static final class Claims {
    final Map<Long, Integer> deliveries = new ConcurrentHashMap<>();
    final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    final Set<String> nodes = ConcurrentHashMap.newKeySet();
    final AtomicInteger overlaps = new AtomicInteger();
  }

  /** One node's target: counts its deliveries into the shared {@link Claims} and catches overlaps. */
  private static final class ClaimRecorder implements TargetClient {
    private final String node;
    private final Claims claims;
    private final TargetClient delegate;

    ClaimRecorder(String node, Claims claims, TargetClient delegate) {
      this.node = node;
      this.claims = claims;
      this.delegate = delegate;
    }

    @Override
    public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
      claims.nodes.add(node);
      for (OutboxEntry change : changes) {
        if (!claims.inFlight.add(change.id())) {
          claims.overlaps.incrementAndGet();
        }
      }
      try {
        List<DeliveryResult> results = delegate.deliver(changes);
        changes.forEach(c -> claims.deliveries.merge(c.id(), 1, Integer::sum));
        return results;
      } finally {
        changes.forEach(c -> claims.inFlight.remove(c.id()));
      }
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * Holds back each odd-numbered outbox row until the next row has been delivered, so the newer version reaches the
   * service first. Gives up waiting after a second, so it can never stall a relay for good.
   */
  private static final class ReorderingTarget implements TargetClient {
    private final TargetClient delegate;
    private final Map<Long, CountDownLatch> delivered = new ConcurrentHashMap<>();

    ReorderingTarget(TargetClient delegate) {
      this.delegate = delegate;
    }

    private CountDownLatch latch(long id) {
      return delivered.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    @Override
    public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
      long id = changes.get(0).id();
      if (id % 2 == 1) {
        try {
          latch(id + 1).await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<DeliveryResult> results = delegate.deliver(changes);
      changes.forEach(c -> latch(c.id()).countDown());
      return results;
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}

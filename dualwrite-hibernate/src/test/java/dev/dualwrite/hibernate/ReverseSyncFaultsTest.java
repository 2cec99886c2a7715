package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.NEW_WRITES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.ReverseDeadLetter;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.LegacyTransaction;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reverse sync under faults, with two monolith nodes over one real database and the reference service on
 * loopback: one consumer at a time, a consumer that dies mid-batch or between applying and storing its cursor, and a
 * change legacy refuses.
 */
class ReverseSyncFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final int CHANGES = 120;

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void twoNodesApplyEveryChangeExactlyOnceWithOneConsumerAtATime(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture a = MirrorFixture.start(db, service.baseUrl(), b -> b.withReverseSyncLease(LEASE), Map.of());
        SecondNode b = SecondNode.start(db, service.baseUrl())) {
      a.moveTo("users", NEW_WRITES);
      writeUsers(0, CHANGES);

      await().untilAsserted(() -> assertThat(a.count("SELECT COUNT(*) FROM app_users")).isEqualTo(CHANGES));
      await().until(() -> a.dualWrite.reverseSync().status("users").caughtUp());
      ReverseSyncStatus status = b.dualWrite.reverseSync().status("users");
      assertThat(status.applied()).as("each change applied once").isEqualTo(CHANGES);
      assertThat(status.skipped()).as("no change seen twice").isZero();
      assertThat(status.consumer()).isNotNull();
      assertThat(a.outboxRows("users")).as("no echo").isZero();
    }
  }

  @DatabaseTest
  void aConsumerKilledMidBatchIsTakenOverWithNoChangeSkippedOrAppliedTwice(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture a = nodeWithShortLease(db)) {
      CountDownLatch killed = new CountDownLatch(1);
      LegacySource hibernate = DualWriteHibernate.legacySource(a.sessions, "users");
      AtomicInteger upserts = new AtomicInteger();
      // node a dies on the third row of its first page: its thread ends mid-transaction, the lease is left to expire
      ChangeCapture.of(a.dualWrite).attach(new FailingSource(hibernate, tx -> {
        if (upserts.incrementAndGet() == 3) {
          killed.countDown();
          throw new ThreadDeath();
        }
      }, null));
      a.moveTo("users", NEW_WRITES);
      writeUsers(0, CHANGES);
      await().until(() -> killed.getCount() == 0);
      assertThat(a.count("SELECT COUNT(*) FROM app_users")).as("the dead consumer's transaction rolled back").isZero();

      try (SecondNode b = SecondNode.start(db, service.baseUrl())) {
        await().untilAsserted(() -> assertThat(a.count("SELECT COUNT(*) FROM app_users")).isEqualTo(CHANGES));
        await().until(() -> b.dualWrite.reverseSync().status("users").caughtUp());
        ReverseSyncStatus status = b.dualWrite.reverseSync().status("users");
        assertThat(status.applied()).isEqualTo(CHANGES);
        assertThat(status.skipped()).isZero();
        assertThat(status.consumer()).isNotNull();
      }
    }
  }

  @DatabaseTest
  void aCrashBetweenApplyingAndStoringTheCursorRollsBothBack(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture a = nodeWithShortLease(db)) {
      CountDownLatch crashed = new CountDownLatch(1);
      LegacySource hibernate = DualWriteHibernate.legacySource(a.sessions, "users");
      // every row and the cursor are written, then the node dies before its transaction commits
      ChangeCapture.of(a.dualWrite).attach(new FailingSource(hibernate, null, () -> {
        crashed.countDown();
        throw new ThreadDeath();
      }));
      a.moveTo("users", NEW_WRITES);
      writeUsers(0, 40);
      await().until(() -> crashed.getCount() == 0);
      assertThat(a.count("SELECT COUNT(*) FROM app_users")).isZero();

      try (SecondNode b = SecondNode.start(db, service.baseUrl())) {
        await().untilAsserted(() -> assertThat(a.count("SELECT COUNT(*) FROM app_users")).isEqualTo(40));
        await().until(() -> b.dualWrite.reverseSync().status("users").caughtUp());
        ReverseSyncStatus status = b.dualWrite.reverseSync().status("users");
        assertThat(status.applied()).isEqualTo(40);
        assertThat(status.skipped()).isZero();
      }
    }
  }

  @DatabaseTest
  void aChangeLegacyRefusesBecomesADeadLetterThatIsListedRetriedAndCounted(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl())) {
      app.moveTo("users", NEW_WRITES);
      String tooLong = "x".repeat(300) + "@example.com";
      service.writeThroughOwnApi("users", "1", user(1, tooLong, "Refused"));
      service.writeThroughOwnApi("users", "2", user(2, "fine@example.com", "Taken"));

      await().until(() -> app.dualWrite.reverseSync().status("users").applied() == 1);
      ReverseSyncStatus status = app.dualWrite.reverseSync().status("users");
      assertThat(status.failed()).isEqualTo(1);
      assertThat(status.applied()).isEqualTo(1);
      assertThat(status.deadLetters()).isEqualTo(1);
      List<ReverseDeadLetter> letters = app.dualWrite.reverseSync().deadLetters("users", 10);
      assertThat(letters).singleElement().satisfies(letter -> {
        assertThat(letter.entityId()).isEqualTo("1");
        assertThat(letter.lastError()).doesNotContain(tooLong);
      });
      assertThat(app.count("SELECT COUNT(*) FROM app_users WHERE id = 2")).isOne();
      assertThat(app.dualWrite.phases().checkGates("users", dev.dualwrite.phase.MigrationPhase.NEW_READS))
          .anySatisfy(g -> assertThat(g.describe()).contains("1 dead letter(s)"));

      long id = letters.get(0).id();
      assertThat(app.dualWrite.reverseSync().retryDeadLetter(id)).as("refused again").isFalse();
      assertThat(app.dualWrite.reverseSync().deadLetters("users", 10).get(0).attempts()).isEqualTo(2);

      // the service's next version of the row fits; the retry applies what it holds now
      service.writeThroughOwnApi("users", "1", user(1, "short@example.com", "Taken at last"));
      await().untilAsserted(() -> assertThat(app.count("SELECT COUNT(*) FROM app_users WHERE id = 1")).isOne());
      assertThat(app.dualWrite.reverseSync().retryDeadLetter(id)).isTrue();
      assertThat(app.dualWrite.reverseSync().deadLetters("users", 10)).isEmpty();
      assertThat(app.outboxRows("users")).as("no echo").isZero();
    }
  }

  private MirrorFixture nodeWithShortLease(TestDatabase db) {
    return MirrorFixture.start(db, service.baseUrl(), b -> b.withReverseSyncLease(LEASE), Map.of());
  }

  private void writeUsers(int from, int count) {
    for (int i = from; i < from + count; i++) {
      service.writeThroughOwnApi("users", String.valueOf(i + 1), user(i + 1, "u" + i + "@example.com", "User " + i));
    }
  }

  private static JsonNode user(long id, String email, String name) {
    return JSON.createObjectNode().put("id", id).put("version", 0).put("email", email).put("name", name)
        .putNull("born").putNull("team");
  }

  /** A second monolith node over the same database, with its own session factory (the tables exist). */
  private record SecondNode(DualWrite dualWrite, SessionFactory sessions) implements AutoCloseable {
    static SecondNode start(TestDatabase db, String targetUrl) {
      DualWrite node = MirrorFixture.relayNode(db, b -> b.withTargetUrl(targetUrl).withReverseSyncLease(LEASE));
      Map<String, Object> settings = new HashMap<>();
      settings.put(AvailableSettings.DATASOURCE, db.dataSource());
      settings.put(AvailableSettings.HBM2DDL_AUTO, "none");
      DualWriteHibernate.configure(settings, node);
      return new SecondNode(node, MirrorFixture.sessionFactory(settings));
    }

    @Override
    public void close() {
      sessions.close();
      dualWrite.close();
    }
  }

  /** A legacy source that fails where a test says: before an upsert, or after the work and before the commit. */
  private record FailingSource(LegacySource delegate, UpsertHook beforeUpsert, Runnable beforeCommit)
      implements LegacySource {
    @Override
    public String entity() {
      return delegate.entity();
    }

    @Override
    public <T> T inTransaction(LegacyWork<T> work) throws SQLException {
      return delegate.inTransaction(tx -> {
        T result = work.run(beforeUpsert == null ? tx : new HookedTransaction(tx, beforeUpsert));
        if (beforeCommit != null) {
          beforeCommit.run();
        }
        return result;
      });
    }
  }

  @FunctionalInterface
  private interface UpsertHook {
    void before(LegacyTransaction tx);
  }

  private record HookedTransaction(LegacyTransaction tx, UpsertHook hook) implements LegacyTransaction {
    @Override
    public java.sql.Connection connection() {
      return tx.connection();
    }

    @Override
    public List<dev.dualwrite.legacy.LegacyRow> scan(String afterId, String upToId, int limit,
        dev.dualwrite.legacy.RowLock lock) throws SQLException {
      return tx.scan(afterId, upToId, limit, lock);
    }

    @Override
    public List<dev.dualwrite.legacy.LegacyRow> read(java.util.Collection<String> ids,
        dev.dualwrite.legacy.RowLock lock) throws SQLException {
      return tx.read(ids, lock);
    }

    @Override
    public long countAfter(String afterId) throws SQLException {
      return tx.countAfter(afterId);
    }

    @Override
    public void upsert(String id, String snapshot) throws SQLException {
      hook.before(tx);
      tx.upsert(id, snapshot);
    }

    @Override
    public void delete(String id) throws SQLException {
      tx.delete(id);
    }
  }
}

package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.Traceparent;
import dev.dualwrite.trace.spi.Tracing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writing transaction's trace context through plain Hibernate: stored with the outbox row, sent with the mirrored
 * write, continued by the relay's delivery observation; and nothing stored, sent or failing without tracing, or with
 * a tracer that fails. The writing node does not relay, so that its outbox rows can be read before a second node
 * delivers them.
 */
class TraceContextTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Traceparent REQUEST =
      Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").orElseThrow();

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void withoutTracingNothingIsStoredOrSentAndTheWriteIsMirrored(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(1, "one@example.com", "One")));

      assertThat(storedTraceparent(db, "1")).as("the outbox row's traceparent").isEmpty();
      try (DualWrite relay = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl()))) {
        await().atMost(WAIT).until(() -> service.document("users", "1").isPresent());
      }
      assertThat(service.traceparent("users", "1")).as("no traceparent header").isEmpty();
    }
  }

  @DatabaseTest
  void theWritingThreadsContextIsStoredSentAndContinuedByTheRelaysDelivery(TestDatabase db) {
    DualWriteTables.reset(db);
    RecordingTracing tracing = new RecordingTracing();
    try (MirrorFixture app = MirrorFixture.start(db, null, b -> b.withTracing(tracing), Map.of())) {
      app.moveTo("users", DUAL_WRITE);
      tracing.current.set(REQUEST);
      app.sessions.inTransaction(s -> s.persist(new User(2, "two@example.com", "Two")));
      tracing.current.remove();
      app.sessions.inTransaction(s -> s.persist(new User(3, "three@example.com", "Three")));

      assertThat(storedTraceparent(db, "2")).contains(REQUEST.toString());
      assertThat(storedTraceparent(db, "3")).as("no span was current").isEmpty();
      try (DualWrite relay = MirrorFixture.relayNode(db, b -> b.withTargetUrl(service.baseUrl())
          .withTracing(tracing).withRelay(MirrorFixture.quickRelay().withBatchSize(1).build()))) {
        await().atMost(WAIT).until(() -> service.document("users", "3").isPresent());
      }
    }

    assertThat(service.traceparent("users", "2")).as("the header of the mirrored PUT").contains(REQUEST.toString());
    assertThat(service.traceparent("users", "3")).isEmpty();
    assertThat(tracing.started).extracting(Started::work, Started::entity, Started::parent, Started::tags)
        .containsExactlyInAnyOrder(
            tuple(ObservedWork.RELAY_DELIVERY, "users", REQUEST, Map.of("outcome", "delivered")),
            tuple(ObservedWork.RELAY_DELIVERY, "users", null, Map.of("outcome", "delivered")));
  }

  @DatabaseTest
  void aTracerThatFailsFailsNoWriteAndNoDelivery(TestDatabase db) {
    DualWriteTables.reset(db);
    Tracing failing = new Tracing() {
      @Override
      public Traceparent current() {
        throw new IllegalStateException("tracer down");
      }

      @Override
      public Scope start(ObservedWork work, String entity, Traceparent parent) {
        throw new IllegalStateException("tracer down");
      }
    };
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl(), b -> b.withTracing(failing), Map.of())) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(4, "four@example.com", "Four")));

      await().atMost(WAIT).until(() -> service.document("users", "4").isPresent());
      assertThat(service.traceparent("users", "4")).isEmpty();
    }
  }

  /** The {@code traceparent} of the outbox row of user {@code id}; empty when it is NULL. */
  private static Optional<String> storedTraceparent(TestDatabase db, String id) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT traceparent FROM dualwrite_outbox WHERE entity = 'users' AND entity_id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("an outbox row for user " + id).isTrue();
        return Optional.ofNullable(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One observation a {@link RecordingTracing} was asked to start, with the tags it ended with. */
  private record Started(ObservedWork work, String entity, Traceparent parent, Map<String, String> tags) {}

  /** A tracer whose current context is what a test sets on its thread, and which records the observations. */
  private static final class RecordingTracing implements Tracing {
    final ThreadLocal<Traceparent> current = new ThreadLocal<>();
    final List<Started> started = new CopyOnWriteArrayList<>();

    @Override
    public Traceparent current() {
      return current.get();
    }

    @Override
    public Scope start(ObservedWork work, String entity, Traceparent parent) {
      Map<String, String> tags = new ConcurrentHashMap<>();
      started.add(new Started(work, entity, parent, tags));
      return new Scope() {
        @Override
        public void tag(String key, String value) {
          tags.put(key, value);
        }

        @Override
        public void error(Throwable error) {
          tags.put("error", error.toString());
        }

        @Override
        public void close() {}
      };
    }
  }
}

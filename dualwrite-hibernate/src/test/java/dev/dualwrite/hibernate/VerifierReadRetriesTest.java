package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The verifier's reads through a flaky network: a proxy in front of the reference service answers scripted requests
 * with 5xx, a dropped connection or no answer in time, and forwards the others. The verifying node does not relay
 * (as the CLI); the monolith's node delivers straight to the service.
 */
class VerifierReadRetriesTest {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);
  /** Quick retries for tests: 10 ms apart, at most 5 attempts within 30 s. */
  private static final RetryPolicy<Object> QUICK = RetryPolicy.builder().withDelay(Duration.ofMillis(10))
      .withMaxAttempts(5).withMaxDuration(Duration.ofSeconds(30)).build();

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();
  private final MockWebServer network = new MockWebServer();
  private final ScriptedProxy proxy = new ScriptedProxy();

  @BeforeEach
  void start() throws IOException {
    proxy.target = service.baseUrl();
    network.setDispatcher(proxy);
    network.start();
  }

  @AfterEach
  void stop() {
    network.close();
  }

  @DatabaseTest
  void readsThatFailForAMomentAreRetriedCountedAndTheRunIsClean(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl()); DualWrite verifying = verifyingNode(db)) {
      LegacySource users = migrated(app, db, 1000);

      for (LegacySource source : new LegacySource[] {users, new RecordingSource(users).notInListingOrder()}) {
        proxy.script(Map.of(2, status(500), 4, status(503), 5, droppedConnection(), 7, noAnswerInTime()));
        VerificationReport report = Verifier.builder(verifying, source).withChunkSize(200).withReadRetries(QUICK)
            .build().verify();

        assertThat(report.isClean()).as(report.describe()).isTrue();
        assertThat(report.compared()).isEqualTo(1000);
        assertThat(report.retries()).as("one retry per scripted fault").isEqualTo(4);
        assertThat(report.describe()).isEqualTo(report.summary()
            + "\n  retried: 4 read(s) of the new service that failed for a moment (no answer, 5xx, 408 or 429)");
        assertThat(proxy.faultsLeft()).isZero();
        assertThat(Verifier.builder(verifying, source).build().lastReport())
            .hasValueSatisfying(last -> assertThat(last.retries()).as("recorded with the run").isEqualTo(4));
      }
    }
  }

  @DatabaseTest
  void aServiceThatStaysDownEndsTheRunNamingWhatWasRetriedAndWhatToDoAndTheNextRunResumes(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl()); DualWrite verifying = verifyingNode(db)) {
      LegacySource users = migrated(app, db, 1000);
      Verifier verifier = Verifier.builder(verifying, users).withChunkSize(200).withReadRetries(QUICK).build();
      proxy.alwaysAnswer(503);

      assertThatThrownBy(verifier::verify)
          .isInstanceOf(DualWriteException.class)
          .hasMessageStartingWith("verify users: the new service could not answer: GET " + network.url("/mirror")
              + "/v1/users?limit=200 answered 503: {\"error\":\"scripted\"}. Tried 5 time(s) over ")
          .hasMessageContaining(" s (at most 5 attempts within PT30S, with backoff). The run is kept: check that the"
              + " new service is up and reachable from this node, then verify again to resume it");
      assertThat(proxy.requests()).as("the first read, tried 5 times").isEqualTo(5);
      assertThat(verifier.lastReport()).as("the failed run is not a result").isEmpty();

      proxy.alwaysAnswer(0);
      VerificationReport resumed = verifier.verify();

      assertThat(resumed.isClean()).isTrue();
      assertThat(resumed.compared()).isEqualTo(1000);
    }
  }

  @DatabaseTest
  void anAnswerThatRetryingCannotChangeEndsTheRunAtOnce(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, service.baseUrl()); DualWrite verifying = verifyingNode(db)) {
      LegacySource users = migrated(app, db, 100);
      proxy.alwaysAnswer(401);

      assertThatThrownBy(() -> Verifier.builder(verifying, users).withReadRetries(QUICK).build().verify())
          .isInstanceOf(DualWriteException.class)
          .hasMessageStartingWith("verify users: the new service failed a read that is not retried: GET ")
          .hasMessageContaining("answered 401")
          .hasMessageContaining("fix what the answer names (credentials, base URL, the service's implementation of"
              + " the protocol), then verify again to resume it");
      assertThat(proxy.requests()).as("asked once").isEqualTo(1);
    }
  }

  /** Users 1..{@code rows}, backfilled and delivered by the monolith's node. */
  private LegacySource migrated(MirrorFixture app, TestDatabase db, int rows) {
    app.moveTo("users", DUAL_WRITE);
    LegacyRows.insertUsers(db, 1, rows);
    LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
    Backfill.builder(app.dualWrite, users).build().run();
    assertThat(app.dualWrite.relay().drain(WAIT)).isTrue();
    return users;
  }

  /**
   * A node that reads the new service through the flaky network and relays nothing. OkHttp's own silent retry of a
   * dropped connection is off, so that each scripted fault reaches the verifier.
   */
  private DualWrite verifyingNode(TestDatabase db) {
    return MirrorFixture.relayNode(db, b -> b
        .withTargetClient(HttpTargetClient.builder(network.url("/mirror").toString())
            .withOkHttpClient(new OkHttpClient.Builder().retryOnConnectionFailure(false).build())
            .withCallTimeout(CALL_TIMEOUT)
            .build())
        .withRelay(RelayConfig.builder().withEnabled(false).build()));
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body("{\"error\":\"scripted\"}").build();
  }

  private static MockResponse droppedConnection() {
    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
  }

  private static MockResponse noAnswerInTime() {
    return new MockResponse.Builder().code(200).body("{\"items\":[]}")
        .headersDelay(CALL_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS).build();
  }

  /**
   * Forwards requests to the reference service, except the scripted ones (by their number, from 1) or, while
   * {@link #alwaysAnswer} is set, every one. Thread-safe.
   */
  private static final class ScriptedProxy extends Dispatcher {
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient client = new OkHttpClient();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Integer, MockResponse> faults = new ConcurrentHashMap<>();
    private volatile int alwaysStatus;
    volatile String target;

    void script(Map<Integer, MockResponse> byRequestNumber) {
      requests.set(0);
      faults.clear();
      faults.putAll(byRequestNumber);
    }

    /** Answers every request with {@code status} and an error body; 0 forwards them again. Resets the count. */
    void alwaysAnswer(int status) {
      requests.set(0);
      alwaysStatus = status;
    }

    int requests() {
      return requests.get();
    }

    int faultsLeft() {
      return faults.size();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse fault = faults.remove(requests.incrementAndGet());
      if (fault != null) {
        return fault;
      }
      if (alwaysStatus != 0) {
        return status(alwaysStatus);
      }
      String path = request.getTarget().substring("/mirror".length());
      RequestBody body = request.getBody() == null || request.getBodySize() == 0 ? null
          : RequestBody.create(request.getBody().toByteArray(), JSON);
      Request forwarded = new Request.Builder().url(target + path).method(request.getMethod(), body).build();
      try (Response response = client.newCall(forwarded).execute()) {
        return new MockResponse.Builder().code(response.code()).setHeader("Content-Type", "application/json")
            .body(response.body().string()).build();
      } catch (IOException e) {
        return status(502);
      }
    }
  }
}

package dev.dualwrite.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpTargetClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private TargetClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client = HttpTargetClient.builder(server.url("/mirror").toString())
        .withCallTimeout(Duration.ofMillis(500))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static OutboxEntry upsert(long id, String entityId, long version, String payload) {
    return new OutboxEntry(id, "users", "users", entityId, ChangeOperation.UPSERT, version, "key-" + id, payload, 0,
        Instant.EPOCH);
  }

  private static OutboxEntry delete(long id, String entityId, long version) {
    return new OutboxEntry(id, "users", "users", entityId, ChangeOperation.DELETE, version, "key-" + id, null, 0,
        Instant.EPOCH);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void oneUpsertIsAPutWithIdempotencyKeyAndVersionHeaders() throws Exception {
    server.enqueue(json(200, "{\"outcome\":\"APPLIED\",\"version\":7}"));

    List<DeliveryResult> results = client.deliver(List.of(upsert(1, "42", 7, "{\"id\":42,\"email\":\"a@b.c\"}")));

    assertThat(results).containsExactly(DeliveryResult.applied());
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getTarget()).isEqualTo("/mirror/v1/users/42");
    assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("key-1");
    assertThat(request.getHeaders().get("Dualwrite-Entity-Version")).isEqualTo("7");
    assertThat(request.getBody().utf8()).isEqualTo("{\"id\":42,\"email\":\"a@b.c\"}");
  }

  @Test
  void interceptorsSeeEveryCallWithItsAnswer() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TargetClient intercepted = HttpTargetClient.builder(server.url("/mirror").toString())
        .withInterceptor(chain -> {
          okhttp3.Response response = chain.proceed(chain.request());
          seen.add(chain.request().method() + " " + chain.request().url().encodedPath() + " " + response.code());
          return response;
        })
        .build()) {
      server.enqueue(json(200, "{\"outcome\":\"APPLIED\",\"version\":7}"));
      intercepted.deliver(List.of(upsert(1, "42", 7, "{\"id\":42}")));
    }

    assertThat(seen).containsExactly("PUT /mirror/v1/users/42 200");
    assertThatThrownBy(() -> HttpTargetClient.builder("http://127.0.0.1/mirror").withInterceptor(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("interceptor is null");
  }

  @Test
  void theChangeFeedIsReadPageByPageFromItsCursor() throws Exception {
    server.enqueue(json(200, "{\"items\":[{\"cursor\":\"17\",\"id\":\"42\",\"version\":9,"
        + "\"operation\":\"UPSERT\",\"origin\":\"service\",\"at\":\"2026-12-01T10:00:00Z\","
        + "\"data\":{\"name\":\"Ada\"}},{\"cursor\":\"18\",\"id\":\"7\",\"version\":3,"
        + "\"operation\":\"DELETE\",\"origin\":\"mirror\"}],\"next\":\"18\",\"head\":\"25\"}"));

    FeedPage page = client.changes("users", "16", 2);

    assertThat(server.takeRequest().getTarget()).isEqualTo("/mirror/v1/_changes/users?limit=2&after=16");
    assertThat(page.items()).containsExactly(
        new FeedChange("17", "42", 9, ChangeOperation.UPSERT, false, Instant.parse("2026-12-01T10:00:00Z"),
            new ObjectMapper().readTree("{\"name\":\"Ada\"}")),
        new FeedChange("18", "7", 3, ChangeOperation.DELETE, true, null, null));
    assertThat(page.next()).isEqualTo("18");
    assertThat(page.head()).isEqualTo("25");
  }

  @Test
  void aCompactedFeedIsA410() {
    server.enqueue(json(410, "{\"error\":\"compacted\",\"oldest\":\"900\"}"));

    assertThatThrownBy(() -> client.changes("users", "3", 100))
        .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.status()).isEqualTo(410));
  }

  @Test
  void oneDeleteIsADeleteWithTheTombstoneVersion() throws Exception {
    server.enqueue(json(200, "{\"outcome\":\"STALE\",\"version\":9}"));

    assertThat(client.deliver(List.of(delete(2, "a b/c", 8)))).containsExactly(DeliveryResult.stale());

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getTarget()).isEqualTo("/mirror/v1/users/a%20b%2Fc");
    assertThat(request.getHeaders().get("Dualwrite-Entity-Version")).isEqualTo("8");
  }

  @Test
  void severalChangesTravelInOneBatchWithOneResultEach() throws Exception {
    server.enqueue(json(200, "{\"results\":[{\"outcome\":\"APPLIED\",\"version\":1},"
        + "{\"outcome\":\"REJECTED\",\"status\":422,\"error\":\"email missing\"},"
        + "{\"outcome\":\"REJECTED\",\"status\":503,\"error\":\"shard busy\"}]}"));

    List<DeliveryResult> results = client.deliver(List.of(
        upsert(1, "1", 1, "{\"id\":1}"), upsert(2, "2", 1, "{\"id\":2}"), delete(3, "3", 4)));

    assertThat(results).containsExactly(
        DeliveryResult.applied(),
        DeliveryResult.rejected(422, "email missing"),
        DeliveryResult.retry(503, "shard busy"));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getTarget()).isEqualTo("/mirror/v1/_batch");
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.path("changes")).hasSize(3);
    JsonNode first = body.path("changes").get(0);
    assertThat(first.path("resource").asText()).isEqualTo("users");
    assertThat(first.path("id").asText()).isEqualTo("1");
    assertThat(first.path("operation").asText()).isEqualTo("UPSERT");
    assertThat(first.path("version").asLong()).isEqualTo(1);
    assertThat(first.path("idempotencyKey").asText()).isEqualTo("key-1");
    assertThat(first.path("data").path("id").asLong()).isEqualTo(1);
    assertThat(body.path("changes").get(2).path("data").isNull()).isTrue();
  }

  @Test
  void aBatchRefusedAsAWholeIsResentOneChangeAtATime() throws Exception {
    server.enqueue(json(400, "{\"error\":\"item 2 is not an object\"}"));
    server.enqueue(json(200, "{\"outcome\":\"APPLIED\",\"version\":1}"));
    server.enqueue(json(422, "{\"error\":\"bad email\"}"));

    List<DeliveryResult> results = client.deliver(List.of(upsert(1, "1", 1, "{}"), upsert(2, "2", 1, "{}")));

    assertThat(results).containsExactly(DeliveryResult.applied(), DeliveryResult.rejected(422,
        "{\"error\":\"bad email\"}"));
    assertThat(server.takeRequest().getMethod()).isEqualTo("POST");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/mirror/v1/users/1");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/mirror/v1/users/2");
  }

  // (408 is retried by OkHttp itself once before it reaches dualwrite; it is classed as retryable as well)
  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 429, 401, 404})
  void statusesThatDoNotJudgeTheChangeFailTheWholeRequestForRetry(int status) {
    server.enqueue(json(status, "{\"error\":\"try later\"}"));

    assertThatThrownBy(() -> client.deliver(List.of(upsert(1, "1", 1, "{}"))))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("answered " + status)
        .satisfies(e -> assertThat(((TargetException) e).status()).isEqualTo(status));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 409, 410, 413, 422})
  void statusesThatJudgeTheChangeRejectIt(int status) {
    server.enqueue(json(status, "{\"error\":\"no\"}"));

    assertThat(client.deliver(List.of(upsert(1, "1", 1, "{}"))))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
          assertThat(r.status()).isEqualTo(status);
        });
  }

  @Test
  void aSlowServiceTimesOutAsARetryableFailure() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"outcome\":\"APPLIED\"}")
        .headersDelay(2, TimeUnit.SECONDS).build());

    assertThatThrownBy(() -> client.deliver(List.of(upsert(1, "1", 1, "{}"))))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("unreachable")
        .satisfies(e -> assertThat(((TargetException) e).status()).isNull());
  }

  @Test
  void anUnreachableServiceIsARetryableFailure() {
    String url = server.url("/mirror").toString();
    server.close();
    try (TargetClient offline = HttpTargetClient.builder(url).build()) {
      assertThatThrownBy(() -> offline.deliver(List.of(upsert(1, "1", 1, "{}"))))
          .isInstanceOf(TargetException.class)
          .hasMessageContaining("new service unreachable at " + url);
    }
  }

  @Test
  void aBatchAnswerWithTheWrongNumberOfResultsIsAProtocolViolation() {
    server.enqueue(json(200, "{\"results\":[{\"outcome\":\"APPLIED\"}]}"));

    assertThatThrownBy(() -> client.deliver(List.of(upsert(1, "1", 1, "{}"), upsert(2, "2", 1, "{}"))))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("protocol violation")
        .hasMessageContaining("1 results for 2 changes");
  }

  @Test
  void sendsTheBearerTokenOfTheMomentAndNeverPutsItInErrors() throws Exception {
    AtomicInteger rotation = new AtomicInteger();
    try (TargetClient authed = HttpTargetClient.builder(server.url("/mirror").toString())
        .withBearerToken(() -> "secret-" + rotation.incrementAndGet())
        .withHeader("X-Tenant", () -> "acme")
        .build()) {
      server.enqueue(json(200, "{\"outcome\":\"APPLIED\"}"));
      server.enqueue(json(503, "{\"error\":\"down\"}"));

      authed.deliver(List.of(upsert(1, "1", 1, "{}")));
      assertThatThrownBy(() -> authed.deliver(List.of(upsert(2, "2", 1, "{}"))))
          .hasMessageNotContaining("secret");

      RecordedRequest first = server.takeRequest();
      assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer secret-1");
      assertThat(first.getHeaders().get("X-Tenant")).isEqualTo("acme");
      assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer secret-2");
    }
  }

  @Test
  void readsOneDocumentAndTreatsA404AsAbsent() throws Exception {
    server.enqueue(json(200, "{\"id\":\"42\",\"version\":3,\"data\":{\"id\":42,\"name\":\"Ada\"}}"));
    server.enqueue(json(404, "{\"id\":\"43\",\"version\":5,\"deleted\":true}"));

    TargetDocument found = client.get("users", "42").orElseThrow();
    assertThat(found.version()).isEqualTo(3);
    assertThat(found.data().path("name").asText()).isEqualTo("Ada");
    assertThat(client.get("users", "43")).isEmpty();
    assertThat(server.takeRequest().getTarget()).isEqualTo("/mirror/v1/users/42");
  }

  @Test
  void readsManyDocumentsInOneRequest() throws Exception {
    server.enqueue(json(200, "{\"items\":[{\"id\":\"2\",\"version\":1,\"data\":{\"id\":2}}]}"));

    List<TargetDocument> found = client.getMany("users", List.of("1", "2"));

    assertThat(found).extracting(TargetDocument::id).containsExactly("2");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getTarget()).isEqualTo("/mirror/v1/users/_get");
    assertThat(JSON.readTree(request.getBody().utf8()).path("ids")).hasSize(2);
  }

  @Test
  void listsPagesInKeyOrder() throws Exception {
    server.enqueue(json(200, "{\"items\":[{\"id\":\"5\",\"version\":1,\"data\":{}}],\"next\":\"5\"}"));
    server.enqueue(json(200, "{\"items\":[],\"next\":null}"));

    TargetPage first = client.list("users", null, 1);
    TargetPage second = client.list("users", first.next(), 1);

    assertThat(first.items()).extracting(TargetDocument::id).containsExactly("5");
    assertThat(second.next()).isNull();
    assertThat(server.takeRequest().getTarget()).isEqualTo("/mirror/v1/users?limit=1");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/mirror/v1/users?limit=1&after=5");
  }

  @Test
  void aReadAnswerThatBreaksTheProtocolSaysSo() {
    server.enqueue(json(200, "{\"id\":\"1\",\"data\":\"not an object\"}"));

    assertThatThrownBy(() -> client.get("users", "1"))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("protocol violation");
  }

  @Test
  void rejectsABadBaseUrlAndBadTimeouts() {
    assertThatThrownBy(() -> HttpTargetClient.builder("user-service:8081").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseUrl is 'user-service:8081'; give the new service's http(s) URL");
    assertThatThrownBy(() -> HttpTargetClient.builder("http://x").withCallTimeout(Duration.ZERO).build())
        .hasMessage("callTimeout is PT0S; allowed: more than 0 and at most 10 minutes");
    assertThatThrownBy(() -> HttpTargetClient.builder("http://x").withHeader(" ", () -> "v"))
        .hasMessageStartingWith("header name is blank");
  }
}

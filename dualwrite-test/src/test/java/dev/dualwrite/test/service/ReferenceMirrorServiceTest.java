package dev.dualwrite.test.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceMirrorServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final AtomicInteger KEYS = new AtomicInteger();

  private ReferenceMirrorService service;

  @BeforeEach
  void startService() {
    service = ReferenceMirrorService.start();
  }

  @AfterEach
  void stopService() {
    service.close();
  }

  // ---- single writes and reads ----

  @Test
  void upsertIsAppliedAndReadBack() {
    Answer put = put("/v1/users/42", 7, "{\"name\":\"Ada\"}");

    assertThat(put.status).isEqualTo(200);
    assertThat(put.body).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":7}"));
    assertThat(put.headers.firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    Answer get = get("/v1/users/42");
    assertThat(get.status).isEqualTo(200);
    assertThat(get.body).isEqualTo(json("{\"id\":\"42\",\"version\":7,\"data\":{\"name\":\"Ada\"},\"origin\":\"mirror\"}"));
    assertThat(service.document("users", "42"))
        .contains(new StoredDocument("42", 7, json("{\"name\":\"Ada\"}"), false));
    assertThat(service.appliedCount()).isEqualTo(1);
  }

  @Test
  void deleteLeavesATombstoneAndUnknownIdsAre404WithoutVersion() {
    put("/v1/users/42", 1, "{\"name\":\"Ada\"}");

    assertThat(delete("/v1/users/42", 2).body).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":2}"));
    Answer tombstone = get("/v1/users/42");
    assertThat(tombstone.status).isEqualTo(404);
    assertThat(tombstone.body).isEqualTo(json("{\"id\":\"42\",\"version\":2,\"deleted\":true,\"origin\":\"mirror\"}"));
    Answer neverSeen = get("/v1/users/43");
    assertThat(neverSeen.status).isEqualTo(404);
    assertThat(neverSeen.body).isEqualTo(json("{\"id\":\"43\"}"));
    assertThat(delete("/v1/users/44", 3).body).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":3}"));
    assertThat(service.document("users", "44")).contains(new StoredDocument("44", 3, null, true));
    assertThat(service.liveDocuments("users")).isEmpty();
  }

  @Test
  void idsTravelPercentEncodedInThePath() {
    String id = "a/b c+d%é";

    assertThat(put("/v1/users/" + pathSegment(id), 1, "{}").status).isEqualTo(200);

    assertThat(service.document("users", id)).isPresent();
    assertThat(get("/v1/users/" + pathSegment(id)).body.get("id").textValue()).isEqualTo(id);
  }

  // ---- the version rule ----

  @Test
  void olderAndEqualVersionsAreStaleAndChangeNothing() {
    put("/v1/users/42", 5, "{\"v\":5}");

    assertThat(put("/v1/users/42", 4, "{\"v\":4}").body).isEqualTo(json("{\"outcome\":\"STALE\",\"version\":5}"));
    assertThat(put("/v1/users/42", 5, "{\"v\":\"again\"}").body)
        .isEqualTo(json("{\"outcome\":\"STALE\",\"version\":5}"));
    assertThat(delete("/v1/users/42", 5).body).isEqualTo(json("{\"outcome\":\"STALE\",\"version\":5}"));

    assertThat(service.document("users", "42")).contains(new StoredDocument("42", 5, json("{\"v\":5}"), false));
    assertThat(service.appliedCount()).isEqualTo(1);
    assertThat(service.staleCount()).isEqualTo(3);
  }

  @Test
  void aTombstoneBlocksOlderUpsertsButNotNewerOnes() {
    put("/v1/users/42", 1, "{\"v\":1}");
    delete("/v1/users/42", 3);

    assertThat(put("/v1/users/42", 2, "{\"v\":2}").body).isEqualTo(json("{\"outcome\":\"STALE\",\"version\":3}"));
    assertThat(get("/v1/users/42").status).isEqualTo(404);

    assertThat(put("/v1/users/42", 4, "{\"v\":4}").body).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":4}"));
    assertThat(get("/v1/users/42").body.get("data")).isEqualTo(json("{\"v\":4}"));
  }

  @Test
  void aServiceIgnoringTheVersionRuleAppliesOlderWrites() {
    try (ReferenceMirrorService broken = ReferenceMirrorService.startIgnoringVersionRule()) {
      ReferenceMirrorService correct = service;
      service = broken;
      try {
        put("/v1/users/42", 5, "{\"v\":5}");

        assertThat(put("/v1/users/42", 3, "{\"v\":3}").body)
            .isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":3}"));
        assertThat(broken.document("users", "42").orElseThrow().version()).isEqualTo(3);
      } finally {
        service = correct;
      }
    }
  }

  @Test
  void concurrentBatchesKeepTheHighestVersionOfEachId() throws Exception {
    int threads = 6;
    int batchesPerThread = 15;
    int ids = 40;
    Map<String, Integer> highest = new HashMap<>();
    List<List<String>> bodies = new ArrayList<>();
    Random random = new Random(42);
    for (int t = 0; t < threads; t++) {
      List<String> batches = new ArrayList<>();
      for (int b = 0; b < batchesPerThread; b++) {
        ArrayNode changes = JSON.createArrayNode();
        for (int c = 0; c < 200; c++) {
          String id = Integer.toString(random.nextInt(ids));
          int version = random.nextInt(1_000_000);
          highest.merge(id, version, Math::max);
          changes.add(change("users", id, "UPSERT", version, JSON.createObjectNode().put("v", version)));
        }
        batches.add(JSON.createObjectNode().set("changes", changes).toString());
      }
      bodies.add(batches);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<String> batches : bodies) {
        done.add(pool.submit(() -> batches.forEach(body -> assertThat(post("/v1/_batch", body).status).isEqualTo(200))));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    highest.forEach((id, version) -> assertThat(service.document("users", id))
        .contains(new StoredDocument(id, version, JSON.createObjectNode().put("v", version), false)));
    assertThat(service.appliedCount() + service.staleCount()).isEqualTo((long) threads * batchesPerThread * 200);
  }

  // ---- batch ----

  @Test
  void aBatchAppliesGoodItemsOfSeveralResourcesAndRejectsInvalidOnes() {
    ArrayNode changes = JSON.createArrayNode()
        .add(change("users", "1", "UPSERT", 1, json("{\"name\":\"Ada\"}")))
        .add(change("orders", "1", "UPSERT", 1, json("{\"total\":10}")))
        .add(change("users", "2", "MERGE", 1, json("{}")))
        .add(change("users", "3", "UPSERT", null, json("{}")))
        .add(change("users", "4", "UPSERT", 1, null))
        .add(change("users", "1", "DELETE", 2, null))
        .add(change("users", "1", "UPSERT", 1, json("{\"name\":\"late\"}")));

    Answer answer = post("/v1/_batch", JSON.createObjectNode().set("changes", changes).toString());

    assertThat(answer.status).isEqualTo(200);
    JsonNode results = answer.body.get("results");
    assertThat(results).hasSize(7);
    assertThat(results.get(0)).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":1}"));
    assertThat(results.get(1)).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":1}"));
    assertRejected(results.get(2), "changes[2].operation");
    assertRejected(results.get(3), "changes[3].version");
    assertRejected(results.get(4), "changes[4].data");
    assertThat(results.get(5)).isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":2}"));
    assertThat(results.get(6)).isEqualTo(json("{\"outcome\":\"STALE\",\"version\":2}"));
    assertThat(service.document("users", "1")).contains(new StoredDocument("1", 2, null, true));
    assertThat(service.document("orders", "1").orElseThrow().data()).isEqualTo(json("{\"total\":10}"));
    assertThat(service.document("users", "2")).isEmpty();
    assertThat(service.document("users", "3")).isEmpty();
    assertThat(service.document("users", "4")).isEmpty();
  }

  @Test
  void aBatchWhoseBodyCannotBeReadIs400AndChangesNothing() {
    ArrayNode tooMany = JSON.createArrayNode();
    IntStream.range(0, 1001).forEach(i -> tooMany.add(change("users", "" + i, "UPSERT", 1, json("{}"))));

    assertError(post("/v1/_batch", "not json"), 400, "not valid JSON");
    assertError(post("/v1/_batch", "{\"changes\":{}}"), 400, "changes");
    assertError(post("/v1/_batch", JSON.createObjectNode().set("changes", tooMany).toString()), 400, "1000");
    assertThat(service.liveDocuments("users")).isEmpty();
  }

  // ---- reads ----

  @Test
  void getManyAnswersLiveDocumentsInRequestOrder() {
    put("/v1/users/1", 1, "{\"n\":1}");
    put("/v1/users/2", 1, "{\"n\":2}");
    put("/v1/users/3", 1, "{\"n\":3}");
    delete("/v1/users/2", 2);

    Answer answer = post("/v1/users/_get", "{\"ids\":[\"3\",\"unknown\",\"2\",\"1\"]}");

    assertThat(answer.status).isEqualTo(200);
    assertThat(answer.body).isEqualTo(json("{\"items\":[{\"id\":\"3\",\"version\":1,\"data\":{\"n\":3}},"
        + "{\"id\":\"1\",\"version\":1,\"data\":{\"n\":1}}]}"));
    assertError(post("/v1/users/_get", "{\"ids\":[1]}"), 400, "ids[0]");
  }

  @Test
  void listingOrdersCanonicalIntegersNumericallyBeforeOtherIds() {
    List<String> ids = List.of("b", "10", "-0", "9", "a", "007", "-3", "100", "2", "-10", "B", "99999999999999999999");
    ids.forEach(id -> service.plant("things", id, 1, JSON.createObjectNode()));
    List<String> expected =
        List.of("-10", "-3", "2", "9", "10", "100", "99999999999999999999", "-0", "007", "B", "a", "b");

    assertThat(listedIds(get("/v1/things?limit=1000"))).containsExactlyElementsOf(expected);
    assertThat(service.liveDocuments("things").keySet()).containsExactlyElementsOf(expected);
  }

  @Test
  void listingPagesWithAfterAndNextAndSkipsTombstones() {
    for (int id = 1; id <= 7; id++) {
      put("/v1/users/" + id, 1, "{}");
    }
    delete("/v1/users/7", 2);
    delete("/v1/users/2", 2);

    Answer first = get("/v1/users?limit=3");
    assertThat(listedIds(first)).containsExactly("1", "3", "4");
    assertThat(first.body.get("next").textValue()).isEqualTo("4");
    Answer second = get("/v1/users?after=4&limit=3");
    assertThat(listedIds(second)).containsExactly("5", "6");
    assertThat(second.body.get("next").isNull()).isTrue();
    Answer exactlyFull = get("/v1/users?after=3&limit=3");
    assertThat(listedIds(exactlyFull)).containsExactly("4", "5", "6");
    assertThat(exactlyFull.body.get("next").isNull()).isTrue();
    assertError(get("/v1/users?limit=0"), 400, "limit");
    assertError(get("/v1/users?limit=1001"), 400, "limit");
  }

  @Test
  void listingReturns100ItemsByDefault() {
    IntStream.rangeClosed(1, 150).forEach(id -> service.plant("users", "" + id, 1, JSON.createObjectNode()));

    Answer page = get("/v1/users");

    assertThat(page.body.get("items")).hasSize(100);
    assertThat(page.body.get("next").textValue()).isEqualTo("100");
    assertThat(get("/v1/unknown").body).isEqualTo(json("{\"items\":[],\"next\":null}"));
  }

  // ---- idempotency ----

  @Test
  void aReplayedIdempotencyKeyIsAnsweredWithTheFirstOutcome() {
    assertThat(put("/v1/users/42", 5, "k1", "{\"v\":5}").body)
        .isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":5}"));
    put("/v1/users/42", 6, "k2", "{\"v\":6}");
    assertThat(put("/v1/users/42", 4, "k3", "{\"v\":4}").body)
        .isEqualTo(json("{\"outcome\":\"STALE\",\"version\":6}"));

    assertThat(put("/v1/users/42", 5, "k1", "{\"v\":5}").body)
        .isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":5}"));
    assertThat(put("/v1/users/42", 4, "k3", "{\"v\":4}").body)
        .isEqualTo(json("{\"outcome\":\"STALE\",\"version\":6}"));
    ObjectNode replayInBatch = change("users", "42", "UPSERT", 5, json("{\"v\":5}")).put("idempotencyKey", "k1");
    assertThat(post("/v1/_batch", "{\"changes\":[" + replayInBatch + "]}").body.get("results").get(0))
        .isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":5}"));
    assertThat(put("/v1/users/43", 1, "k1", "{}").body)
        .as("keys are remembered per (resource, id)")
        .isEqualTo(json("{\"outcome\":\"APPLIED\",\"version\":1}"));

    assertThat(service.document("users", "42").orElseThrow().version()).isEqualTo(6);
    assertThat(service.appliedCount()).isEqualTo(3);
    assertThat(service.staleCount()).isEqualTo(1);
  }

  // ---- bad input ----

  @ParameterizedTest
  @CsvSource({
      ",          7,                    Idempotency-Key",
      "'',        7,                    Idempotency-Key",
      "LONG,      7,                    Idempotency-Key",
      "key,       ,                     Dualwrite-Entity-Version",
      "key,       seven,                Dualwrite-Entity-Version",
      "key,       -1,                   Dualwrite-Entity-Version",
      "key,       99999999999999999999, Dualwrite-Entity-Version",
  })
  void badWriteHeadersAre400NamingTheHeader(String key, String version, String named) {
    HttpRequest.Builder request = request("/v1/users/42").PUT(BodyPublishers.ofString("{}"));
    if (key != null) {
      request.header("Idempotency-Key", key.equals("LONG") ? "k".repeat(101) : key);
    }
    if (version != null) {
      request.header("Dualwrite-Entity-Version", version);
    }

    assertError(send(request.build()), 400, named);
    assertThat(service.document("users", "42")).isEmpty();
  }

  @Test
  void anUpsertBodyThatIsNotAJsonObjectIs400() {
    assertError(put("/v1/users/42", 1, "[1,2]"), 400, "body must be a JSON object");
    assertError(put("/v1/users/42", 1, "{\"a\":"), 400, "not valid JSON");
    assertThat(service.document("users", "42")).isEmpty();
  }

  @Test
  void unknownPathsAre404AndWrongMethodsAre405() {
    assertError(get("/v2/users/1"), 404, "no such path");
    assertError(get("/v1/users/1/more"), 404, "no such path");
    assertError(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/elsewhere"))
        .GET().build()), 404, "no such path");

    Answer patch = send(request("/v1/users/1").method("PATCH", BodyPublishers.ofString("{}")).build());
    assertError(patch, 405, "PATCH");
    assertThat(patch.headers.firstValue("Allow")).hasValue("GET, PUT, DELETE");
    assertThat(get("/v1/_batch").headers.firstValue("Allow")).hasValue("POST");
    assertError(post("/v1/users", "{}"), 405, "POST");
  }

  // ---- lifecycle and fault knobs ----

  @Test
  void stopRefusesConnectionsAndRestartServesTheSameStoreOnTheSamePort() {
    put("/v1/users/42", 3, "{\"v\":3}");
    int port = service.port();

    service.stop();

    assertThatThrownBy(() -> get("/v1/users/42"))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(ConnectException.class);
    assertThat(service.document("users", "42")).isPresent();

    service.restart();

    assertThat(service.port()).isEqualTo(port);
    assertThat(service.baseUrl()).isEqualTo("http://127.0.0.1:" + port + "/mirror");
    assertThat(get("/v1/users/42").body).isEqualTo(json("{\"id\":\"42\",\"version\":3,\"data\":{\"v\":3},\"origin\":\"mirror\"}"));
  }

  @Test
  void failNextRequestsFailsThatManyRequestsAndChangesNothing() {
    service.failNextRequests(2, 503);

    assertError(put("/v1/users/42", 1, "{}"), 503, "injected failure");
    assertError(get("/v1/users/42"), 503, "injected failure");
    assertThat(service.document("users", "42")).isEmpty();

    assertThat(put("/v1/users/42", 1, "{}").status).isEqualTo(200);
    assertThat(service.document("users", "42")).isPresent();
    assertThat(service.requestCount()).isEqualTo(3);
  }

  @Test
  void respondSlowlyDelaysAnswersButAppliesTheWriteEvenWhenTheClientGaveUp() {
    Duration delay = Duration.ofMillis(800);
    service.respondSlowly(delay);

    HttpRequest impatient = writeRequest("/v1/users/42", 1, "k", "{}").timeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> CLIENT.send(impatient, BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(service.document("users", "42")).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> service.document("users", "42").isPresent());

    long started = System.nanoTime();
    assertThat(get("/v1/users/42").status).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(delay);

    // undone: an answer that would take ten minutes comes well within a bound no busy machine reaches
    service.respondSlowly(Duration.ofMinutes(10));
    service.respondSlowly(Duration.ZERO);
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> get("/v1/users/42").status)).isEqualTo(200);
  }

  // ---- inspection and planting ----

  @Test
  void plantRemoveAndClearBypassTheVersionRule() {
    service.plant("users", "42", 3, json("{\"v\":3}"));
    assertThat(put("/v1/users/42", 2, "{}").body).isEqualTo(json("{\"outcome\":\"STALE\",\"version\":3}"));

    service.plant("users", "42", 1, json("{\"v\":1}"));
    assertThat(service.document("users", "42").orElseThrow().version()).isEqualTo(1);

    service.remove("users", "42");
    assertThat(get("/v1/users/42").body).isEqualTo(json("{\"id\":\"42\"}"));

    service.plant("users", "43", 9, null);
    assertThat(get("/v1/users/43").body).isEqualTo(json("{\"id\":\"43\",\"version\":9,\"deleted\":true,\"origin\":\"mirror\"}"));

    service.clear();
    assertThat(service.document("users", "43")).isEmpty();
    assertThat(service.staleCount()).isZero();
    assertThat(service.requestCount()).isZero();
    assertThatThrownBy(() -> service.plant("users", "1", 1, json("[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
  }

  @Test
  void inspectionHandsOutCopies() {
    put("/v1/users/42", 1, "{\"v\":1}");

    ((ObjectNode) service.document("users", "42").orElseThrow().data()).put("v", 99);

    assertThat(get("/v1/users/42").body.get("data")).isEqualTo(json("{\"v\":1}"));
  }

  // ---- helpers ----

  private record Answer(int status, JsonNode body, HttpHeaders headers) {}

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).timeout(Duration.ofSeconds(10));
  }

  private HttpRequest.Builder writeRequest(String path, long version, String key, String body) {
    return request(path)
        .header("Idempotency-Key", key)
        .header("Dualwrite-Entity-Version", Long.toString(version))
        .header("Content-Type", "application/json; charset=utf-8")
        .PUT(BodyPublishers.ofString(body));
  }

  private Answer put(String path, long version, String body) {
    return put(path, version, "key-" + KEYS.incrementAndGet(), body);
  }

  private Answer put(String path, long version, String key, String body) {
    return send(writeRequest(path, version, key, body).build());
  }

  private Answer delete(String path, long version) {
    return send(request(path)
        .header("Idempotency-Key", "key-" + KEYS.incrementAndGet())
        .header("Dualwrite-Entity-Version", Long.toString(version))
        .DELETE()
        .build());
  }

  private Answer get(String path) {
    return send(request(path).GET().build());
  }

  private Answer post(String path, String body) {
    return send(request(path)
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(BodyPublishers.ofString(body))
        .build());
  }

  private static Answer send(HttpRequest request) {
    try {
      var response = CLIENT.send(request, BodyHandlers.ofString());
      return new Answer(response.statusCode(), json(response.body()), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode change(String resource, String id, String operation, Number version, JsonNode data) {
    ObjectNode change = JSON.createObjectNode().put("resource", resource).put("id", id).put("operation", operation);
    if (version != null) {
      change.put("version", version.longValue());
    }
    change.set("data", data);
    return change;
  }

  private static List<String> listedIds(Answer answer) {
    assertThat(answer.status).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    answer.body.get("items").forEach(item -> ids.add(item.get("id").textValue()));
    return ids;
  }

  private static void assertRejected(JsonNode result, String naming) {
    assertThat(result.get("outcome").textValue()).isEqualTo("REJECTED");
    assertThat(result.get("status").intValue()).isEqualTo(400);
    assertThat(result.get("error").textValue()).contains(naming);
    assertThat(result.has("version")).isFalse();
  }

  private static void assertError(Answer answer, int status, String messagePart) {
    assertThat(answer.status).isEqualTo(status);
    assertThat(answer.body.get("error").textValue()).contains(messagePart);
  }

  private static String pathSegment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

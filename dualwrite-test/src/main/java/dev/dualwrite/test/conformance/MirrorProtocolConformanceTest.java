package dev.dualwrite.test.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The mirror-protocol v1 conformance kit: every endpoint and the version rule of docs/protocol.md, as JUnit 5 tests.
 * A new-service team extends it with their service's base URL and runs it with their own tests:
 *
 * <pre>{@code
 * class UserServiceConformanceTest extends MirrorProtocolConformanceTest {
 *   @Override
 *   protected String baseUrl() {
 *     return "http://127.0.0.1:" + port + "/mirror";
 *   }
 * }
 * }</pre>
 *
 * <p>Each test writes to a resource of its own ({@link #resource()}, {@code conformance-} and a random suffix), so the
 * tests do not see each other's data and can run against a service that holds other data. A failure says which rule
 * of the protocol was broken, with the request sent and the answer received.
 *
 * <p>The service must accept any resource name, or the subclass must override {@link #resource()} to one it accepts
 * and run the kit against an empty store. Needs nothing but the JDK's HTTP client and Jackson.
 */
public abstract class MirrorProtocolConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String VERSION_RULE = "docs/protocol.md, the version rule: a write is APPLIED only when its"
      + " version is strictly greater than the version held (a live document or a tombstone), otherwise it is STALE"
      + " and changes nothing";

  private final String resource = "conformance-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger keys = new AtomicInteger();

  /** The service's mirror-protocol base URL, the one the {@code /v1/...} paths hang from. */
  protected abstract String baseUrl();

  /**
   * Writes {@code data} to the (resource, id) through the service's own API, not the mirror protocol (a delete when
   * {@code data} is null), for the check that such changes appear in the change feed. The default writes nothing and
   * returns false, and that check is skipped; override it to run it.
   *
   * @return whether it wrote
   */
  protected boolean writeThroughOwnApi(String resource, String id, JsonNode data) {
    return false;
  }

  /** The resource the tests write to; a fresh one per test unless overridden. */
  protected String resource() {
    return resource;
  }

  // ---- writes and the version rule ----

  @Test
  public void anUpsertIsAppliedAndReadBack() {
    Answer put = put("42", 7, "{\"name\":\"Ada\"}");

    put.expect(200, "an upsert of a new id");
    put.expectOutcome("APPLIED", 7, "an upsert of an id the service has never seen");
    Answer get = get("42");
    get.expect(200, "a read of a live document");
    assertEquals("42", get.body.path("id").asText(), get.describe("a read answers the id as a string"));
    assertEquals(7, get.body.path("version").asLong(), get.describe("a read answers the version held"));
    assertEquals(json("{\"name\":\"Ada\"}"), get.body.path("data"),
        get.describe("a read answers the snapshot as sent (no merge, no change)"));
  }

  @Test
  public void olderAndEqualVersionsAreStaleAndChangeNothing() {
    put("42", 5, "{\"v\":5}").expectOutcome("APPLIED", 5, "the first upsert");

    put("42", 3, "{\"v\":3}").expectOutcome("STALE", 5, "an upsert of version 3 over version 5 (" + VERSION_RULE + ")");
    put("42", 5, "{\"v\":\"again\"}").expectOutcome("STALE", 5,
        "an upsert of version 5 over version 5: equal is not greater (" + VERSION_RULE + ")");
    delete("42", 5).expectOutcome("STALE", 5, "a delete of version 5 over version 5 (" + VERSION_RULE + ")");
    Answer get = get("42");
    get.expect(200, "the document after stale writes");
    assertEquals(json("{\"v\":5}"), get.body.path("data"), get.describe("stale writes must change nothing ("
        + VERSION_RULE + ")"));
  }

  @Test
  public void aDeleteLeavesATombstoneThatBlocksOlderUpsertsButNotNewerOnes() {
    put("42", 1, "{\"v\":1}");
    delete("42", 3).expectOutcome("APPLIED", 3, "a delete newer than the document held");

    Answer tombstone = get("42");
    tombstone.expect(404, "a read of a deleted id (a tombstone)");
    assertEquals(3, tombstone.body.path("version").asLong(), tombstone.describe("a tombstone's 404 carries its"
        + " version"));
    assertTrue(tombstone.body.path("deleted").asBoolean(), tombstone.describe("a tombstone's 404 says"
        + " \"deleted\": true"));
    put("42", 2, "{\"v\":2}").expectOutcome("STALE", 3, "an upsert older than the tombstone: a deleted entity must"
        + " never come back from an older write (" + VERSION_RULE + ")");
    put("42", 4, "{\"v\":4}").expectOutcome("APPLIED", 4, "an upsert newer than the tombstone re-creates the entity");
    assertEquals(json("{\"v\":4}"), get("42").body.path("data"), "the re-created entity's data");
  }

  @Test
  public void deletingAnUnknownIdStoresATombstoneThatWaitsForTheOlderCreate() {
    delete("7", 3).expectOutcome("APPLIED", 3, "a delete of an id never seen (it stores a tombstone)");

    put("7", 2, "{\"v\":2}").expectOutcome("STALE", 3, "the create arriving after its delete (" + VERSION_RULE + ")");
    Answer get = get("7");
    get.expect(404, "a read of an id deleted before it was created");
    assertEquals(3, get.body.path("version").asLong(), get.describe("the tombstone's version"));
  }

  @Test
  public void anUnknownIdIsNotFound() {
    Answer get = get("never-written");

    get.expect(404, "a read of an id the service has never seen");
    assertTrue(!get.body.has("version") || get.body.path("version").isNull(),
        get.describe("an id never seen has no version (only a tombstone has one)"));
  }

  @Test
  public void writesWithoutValidHeadersOrBodyAreRejectedWith400NamingTheProblem() {
    String path = path("42");
    send("PUT", path, "{}", "Dualwrite-Entity-Version", "1")
        .expectError(400, "a PUT without Idempotency-Key");
    send("PUT", path, "{}", "Idempotency-Key", key())
        .expectError(400, "a PUT without Dualwrite-Entity-Version");
    send("PUT", path, "{}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "seven")
        .expectError(400, "a PUT whose Dualwrite-Entity-Version is not a number");
    send("PUT", path, "{}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "-1")
        .expectError(400, "a PUT whose Dualwrite-Entity-Version is negative");
    send("PUT", path, "[1,2]", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "1")
        .expectError(400, "a PUT whose body is not a JSON object");
    send("DELETE", path, null, "Idempotency-Key", key())
        .expectError(400, "a DELETE without Dualwrite-Entity-Version");
    get("42").expect(404, "the id after rejected writes: nothing may have been stored");
  }

  @Test
  public void aReplayedIdempotencyKeyChangesNothing() {
    String key = key();
    send("PUT", path("42"), "{\"v\":2}", "Idempotency-Key", key, "Dualwrite-Entity-Version", "2")
        .expectOutcome("APPLIED", 2, "the first upsert");
    put("42", 3, "{\"v\":3}").expectOutcome("APPLIED", 3, "a newer upsert");

    Answer replay = send("PUT", path("42"), "{\"v\":2}", "Idempotency-Key", key, "Dualwrite-Entity-Version", "2");

    replay.expect(200, "a replay of the first upsert's Idempotency-Key");
    assertEquals(json("{\"v\":3}"), get("42").body.path("data"),
        replay.describe("a replayed change must not undo a newer one"));
  }

  @Test
  public void aBatchProcessesEachChangeOnItsOwnInArrayOrder() {
    ArrayNode changes = JSON.createArrayNode();
    changes.add(change("a", "UPSERT", 2, json("{\"v\":2}")));
    changes.add(change("a", "UPSERT", 1, json("{\"v\":1}")));
    changes.add(change("b", "DELETE", 1, null));
    changes.add(change("c", "MERGE", 1, json("{\"v\":1}")));
    changes.add(change("a", "UPSERT", 3, json("{\"v\":3}")));
    ObjectNode body = JSON.createObjectNode();
    body.set("changes", changes);

    Answer batch = send("POST", "/v1/_batch", body.toString());

    batch.expect(200, "a batch whose body could be read");
    JsonNode results = batch.body.path("results");
    assertEquals(5, results.size(), batch.describe("a batch answers one result per change, in order"));
    batch.expectItem(results.get(0), "APPLIED", 2, "changes[0], an upsert of a new id");
    batch.expectItem(results.get(1), "STALE", 2, "changes[1], an older upsert of the same id after changes[0] ("
        + VERSION_RULE + ")");
    batch.expectItem(results.get(2), "APPLIED", 1, "changes[2], a delete of an id never seen");
    assertEquals("REJECTED", results.get(3).path("outcome").asText(),
        batch.describe("changes[3] has operation MERGE: that change alone is REJECTED"));
    int status = results.get(3).path("status").asInt();
    assertTrue(status >= 400 && status < 500, batch.describe("a REJECTED change carries a 4xx status"));
    assertTrue(results.get(3).path("error").isTextual(), batch.describe("a REJECTED change carries an error"));
    batch.expectItem(results.get(4), "APPLIED", 3, "changes[4], a newer upsert after a rejected change");
    assertEquals(json("{\"v\":3}"), get("a").body.path("data"), "the batch's last upsert of a");
  }

  // ---- reads ----

  @Test
  public void getManyAnswersLiveDocumentsOnlyInRequestOrder() {
    put("1", 1, "{\"n\":1}");
    put("2", 1, "{\"n\":2}");
    put("3", 1, "{\"n\":3}");
    delete("2", 2);

    Answer many = send("POST", "/v1/" + encode(resource()) + "/_get", "{\"ids\":[\"3\",\"unknown\",\"2\",\"1\"]}");

    many.expect(200, "a get of many ids");
    assertEquals(List.of("3", "1"), ids(many.body.path("items")),
        many.describe("_get answers the live documents among the ids, in request order; unknown and deleted ids are"
            + " left out"));
    assertEquals(json("{\"n\":3}"), many.body.path("items").get(0).path("data"), many.describe("an item's data"));
  }

  @Test
  public void theListingFollowsTheListingOrderPageByPage() {
    for (String id : List.of("10", "b", "-3", "007", "2", "a", "9", "5")) {
      put(id, 1, "{}");
    }
    delete("5", 2);
    List<String> expected = List.of("-3", "2", "9", "10", "007", "a", "b");

    List<String> listed = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 10; page++) {
      Answer answer = get("/v1/" + encode(resource()) + "?limit=3" + (after == null ? "" : "&after="
          + encode(after)));
      answer.expect(200, "a page of the listing");
      List<String> ids = ids(answer.body.path("items"));
      assertTrue(ids.size() <= 3, answer.describe("a page holds at most limit items"));
      listed.addAll(ids);
      JsonNode next = answer.body.path("next");
      if (next.isNull() || next.isMissingNode()) {
        break;
      }
      assertEquals(ids.get(ids.size() - 1), next.asText(), answer.describe("next is the id of the page's last item"));
      after = next.asText();
    }

    assertEquals(expected, listed, "the listing: canonical decimal ids numerically first, then the others by"
        + " String.compareTo; tombstones left out; after is exclusive; next is null on the last page"
        + " (docs/protocol.md, listing order)");
  }

  @Test
  public void theListingRefusesALimitOutsideOneToAThousand() {
    get("/v1/" + encode(resource()) + "?limit=0").expectError(400, "a listing with limit=0");
    get("/v1/" + encode(resource()) + "?limit=1001").expectError(400, "a listing with limit=1001");
  }

  @Test
  public void idsTravelPercentEncodedInThePath() {
    String id = "a/b c+d%é";

    put(id, 1, "{}").expectOutcome("APPLIED", 1, "an upsert of an id with / space + % and é, percent-encoded");

    Answer get = get(id);
    get.expect(200, "a read of that id");
    assertEquals(id, get.body.path("id").asText(), get.describe("the id decoded from the path ('+' is a plus sign)"));
  }

  // ---- the change feed ----

  @Test
  public void theFeedListsAppliedChangesInOrderAndResumesFromItsCursor() {
    put("a", 1, "{\"n\":1}").expectOutcome("APPLIED", 1, "an upsert");
    put("b", 1, "{\"n\":2}").expectOutcome("APPLIED", 1, "an upsert");
    put("a", 5, "{\"n\":3}").expectOutcome("APPLIED", 5, "a newer upsert");
    put("a", 4, "{\"n\":4}").expectOutcome("STALE", 5, "an older upsert");

    Answer first = changes(null, 2);
    first.expect(200, "a read of the change feed");
    expectChanges(first, "the first page of the feed, limit 2", "a:1:UPSERT", "b:1:UPSERT");
    assertTrue(first.body.path("next").isTextual(), first.describe("the feed answers next, the cursor to read on"
        + " from, as a string"));
    Answer second = changes(first.body.path("next").asText(), 2);
    expectChanges(second, "the page after the first page's next: the STALE write is not a change",
        "a:5:UPSERT");
    assertEquals(json("{\"n\":3}"), second.body.path("items").path(0).path("data"),
        second.describe("a change's data is the snapshot applied"));
    String end = second.body.path("next").asText();
    Answer after = changes(end, 2);
    expectChanges(after, "the feed after its last change");
    assertEquals(end, after.body.path("next").asText(), after.describe("an empty page answers the cursor it was"
        + " asked for as next, so a reader polls again from there"));
  }

  @Test
  public void aDeleteIsATombstoneInTheFeed() {
    put("t", 3, "{}").expectOutcome("APPLIED", 3, "an upsert");
    delete("t", 4).expectOutcome("APPLIED", 4, "a newer delete");

    Answer feed = changes(null, 10);
    expectChanges(feed, "an upsert then a delete", "t:3:UPSERT", "t:4:DELETE");
    assertTrue(feed.body.path("items").path(1).path("data").isMissingNode()
        || feed.body.path("items").path(1).path("data").isNull(), feed.describe("a DELETE change carries no data"));
  }

  @Test
  public void aMirroredChangeAppearsWithTheVersionItWasSent() {
    ArrayNode changes = JSON.createArrayNode()
        .add(change("m1", "UPSERT", 1_000_000_007L, json("{\"x\":1}")))
        .add(change("m2", "DELETE", 12, null));
    send("POST", "/v1/_batch", JSON.createObjectNode().set("changes", changes).toString())
        .expect(200, "a batch");

    expectChanges(changes(null, 10), "a batch's changes, in the batch's order", "m1:1000000007:UPSERT",
        "m2:12:DELETE");
  }

  @Test
  public void aChangeMadeThroughTheServicesOwnApiAppearsWithAGreaterVersion() {
    put("own", 41, "{\"by\":\"monolith\"}").expectOutcome("APPLIED", 41, "an upsert");
    if (!writeThroughOwnApi(resource(), "own", json("{\"by\":\"service\"}"))) {
      Assumptions.abort("writeThroughOwnApi is not overridden: the kit cannot write through the service's own API");
    }

    Answer feed = changes(null, 10);
    feed.expect(200, "a read of the change feed");
    JsonNode items = feed.body.path("items");
    assertEquals(2, items.size(), feed.describe("the feed holds the mirrored upsert and the write through the"
        + " service's own API"));
    JsonNode own = items.get(1);
    assertTrue(own.path("version").asLong(-1) > 41, feed.describe("a write through the service's own API takes a"
        + " version greater than the one held (41), so versions of an id keep one increasing sequence"));
    assertEquals(json("{\"by\":\"service\"}"), own.path("data"), feed.describe("the change carries what the"
        + " service's API wrote"));
    Answer get = get("own");
    assertEquals(own.path("version").asLong(), get.body.path("version").asLong(-1),
        get.describe("a read answers the version the feed gave the write"));
  }

  @Test
  public void aConditionalWriteAppliesOnlyWhenTheExpectedVersionIsHeld() {
    send("PUT", path("c"), "{\"v\":1}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "10",
        "Dualwrite-Expected-Version", "none").expectOutcome("APPLIED", 10, "a conditional create of an id not held");
    Answer refused = send("PUT", path("c"), "{\"v\":2}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "20",
        "Dualwrite-Expected-Version", "9");
    refused.expect(412, "a conditional write expecting version 9 while 10 is held");
    assertEquals(10, refused.body.path("version").asLong(-1), refused.describe("a 412 answers the version held"));
    assertEquals(json("{\"v\":1}"), get("c").body.path("data"), "a refused conditional write changes nothing");
    send("PUT", path("c"), "{\"v\":3}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "30",
        "Dualwrite-Expected-Version", "10").expectOutcome("APPLIED", 30, "a conditional write expecting the version"
        + " held");
    send("DELETE", path("c"), null, "Idempotency-Key", key(), "Dualwrite-Entity-Version", "40",
        "Dualwrite-Expected-Version", "none").expect(412, "a conditional delete expecting nothing while 30 is held");
    send("PUT", path("c"), "{\"v\":4}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "50",
        "Dualwrite-Expected-Version", "later").expectError(400, "Dualwrite-Expected-Version");
    send("PUT", path("c"), "{\"v\":5}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "60",
        "Dualwrite-Expected-Version", "mirror").expectOutcome("APPLIED", 60, "a write expecting what the mirror wrote,"
        + " over what the mirror wrote");
    send("PUT", path("fresh"), "{\"v\":1}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "5",
        "Dualwrite-Expected-Version", "mirror").expectOutcome("APPLIED", 5, "a write expecting what the mirror wrote,"
        + " of an id not held");
    if (writeThroughOwnApi(resource(), "c", json("{\"by\":\"service\"}"))) {
      send("PUT", path("c"), "{\"v\":6}", "Idempotency-Key", key(), "Dualwrite-Entity-Version", "90",
          "Dualwrite-Expected-Version", "mirror").expect(412, "a write expecting what the mirror wrote, over a write"
          + " through the service's own API");
    }
  }

  @Test
  public void aReadSaysWhoWroteTheVersionHeld() {
    put("o", 5, "{\"by\":\"monolith\"}").expectOutcome("APPLIED", 5, "an upsert");
    assertEquals("mirror", get("o").body.path("origin").asText(), "origin of a mirrored write");
    if (!writeThroughOwnApi(resource(), "o", json("{\"by\":\"service\"}"))) {
      Assumptions.abort("writeThroughOwnApi is not overridden: the kit cannot write through the service's own API");
    }
    assertEquals("service", get("o").body.path("origin").asText(), "origin of a write through the service's API");
  }

  @Test
  public void theFeedRefusesALimitOutside1To1000() {
    changes(null, 0).expectError(400, "a read of the change feed with limit=0");
    changes(null, 1001).expectError(400, "a read of the change feed with limit=1001");
  }

  /** {@code id:version:operation} of each change on the page, in order. */
  private static void expectChanges(Answer page, String what, String... expected) {
    page.expect(200, what);
    List<String> seen = new ArrayList<>();
    for (JsonNode item : page.body.path("items")) {
      seen.add(item.path("id").asText() + ":" + item.path("version").asLong(-1) + ":"
          + item.path("operation").asText());
    }
    assertEquals(List.of(expected), seen, page.describe(what + ": the feed must list the applied changes in the"
        + " order they were applied, each once"));
  }

  private Answer changes(String after, int limit) {
    return send("GET", "/v1/_changes/" + encode(resource()) + "?limit=" + limit
        + (after == null ? "" : "&after=" + encode(after)), null);
  }

  // ---- plumbing ----

  /** One HTTP exchange: what was sent and what came back. */
  private static final class Answer {
    final String request;
    final int status;
    final String raw;
    final JsonNode body;

    Answer(String request, int status, String raw, JsonNode body) {
      this.request = request;
      this.status = status;
      this.raw = raw;
      this.body = body;
    }

    String describe(String expectation) {
      return "mirror protocol v1: " + expectation + ". Request: " + request + " -> answered " + status + " " + raw;
    }

    void expect(int expectedStatus, String what) {
      assertEquals(expectedStatus, status, describe(what + " must answer " + expectedStatus));
    }

    void expectError(int expectedStatus, String what) {
      expect(expectedStatus, what);
      assertTrue(body.path("error").isTextual(), describe(what + " must answer {\"error\": \"...\"}"));
    }

    void expectOutcome(String outcome, long version, String what) {
      expect(200, what);
      expectItem(body, outcome, version, what);
    }

    void expectItem(JsonNode result, String outcome, long version, String what) {
      assertEquals(outcome, result.path("outcome").asText(), describe(what + " must be " + outcome));
      assertEquals(version, result.path("version").asLong(-1), describe(what + " must answer the version held after"
          + " it, " + version));
    }
  }

  private Answer put(String id, long version, String body) {
    return send("PUT", path(id), body, "Idempotency-Key", key(), "Dualwrite-Entity-Version", Long.toString(version));
  }

  private Answer delete(String id, long version) {
    return send("DELETE", path(id), null, "Idempotency-Key", key(), "Dualwrite-Entity-Version",
        Long.toString(version));
  }

  private Answer get(String idOrPath) {
    return send("GET", idOrPath.startsWith("/v1/") ? idOrPath : path(idOrPath), null);
  }

  private ObjectNode change(String id, String operation, long version, JsonNode data) {
    ObjectNode change = JSON.createObjectNode()
        .put("resource", resource())
        .put("id", id)
        .put("operation", operation)
        .put("version", version)
        .put("idempotencyKey", key());
    change.set("data", data);
    return change;
  }

  private String path(String id) {
    return "/v1/" + encode(resource()) + "/" + encode(id);
  }

  private String key() {
    return "conformance-" + resource() + "-" + keys.incrementAndGet();
  }

  private Answer send(String method, String path, String body, String... headers) {
    String url = baseUrl().replaceAll("/+$", "") + path;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(REQUEST_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json; charset=utf-8");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    String described = method + " " + url + (headers.length == 0 ? "" : " " + headerList(headers))
        + (body == null ? "" : " " + body);
    HttpResponse<String> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return fail("mirror protocol v1: " + described + " got no answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for " + described, e);
    }
    JsonNode json;
    try {
      json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      return fail("mirror protocol v1: every answer is JSON; " + described + " answered " + response.statusCode()
          + " with " + response.body(), e);
    }
    return new Answer(described, response.statusCode(), response.body(), json);
  }

  private static String headerList(String[] headers) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      pairs.add(headers[i] + ": " + headers[i + 1]);
    }
    return pairs.toString();
  }

  private static List<String> ids(JsonNode items) {
    assertTrue(items.isArray(), "mirror protocol v1: a read of many answers an \"items\" array, got " + items);
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}

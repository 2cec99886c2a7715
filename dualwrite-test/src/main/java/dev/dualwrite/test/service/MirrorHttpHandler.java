package dev.dualwrite.test.service;

import static dev.dualwrite.test.service.ProtocolException.badRequest;
import static dev.dualwrite.test.service.ProtocolException.methodNotAllowed;
import static dev.dualwrite.test.service.ProtocolException.notFound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dualwrite.target.Precondition;
import dev.dualwrite.trace.Traceparent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the mirror protocol v1 under {@value #BASE_PATH} from a {@link MirrorStore}. Thread-safe; one instance per
 * running HTTP server.
 */
final class MirrorHttpHandler implements HttpHandler {
  /** The base path of the protocol; the base URL is {@code http://host:port} followed by this. */
  static final String BASE_PATH = "/mirror";

  private static final Logger log = LoggerFactory.getLogger(MirrorHttpHandler.class);
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String API_PREFIX = BASE_PATH + "/v1/";
  private static final String JSON = "application/json; charset=utf-8";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final String ENTITY_VERSION = "Dualwrite-Entity-Version";
  private static final String EXPECTED_VERSION_HEADER = "Dualwrite-Expected-Version";
  private static final String TRACEPARENT = Traceparent.HEADER;
  private static final int MAX_KEY_LENGTH = 100;
  private static final int MAX_ITEMS = 1000;
  private static final int DEFAULT_LIMIT = 100;
  /** The first path segment of the change feed: no resource can take it (a resource starts with a letter or digit). */
  private static final String CHANGES = "_changes";

  private record Response(int status, JsonNode body, String allow) {
    Response(int status, JsonNode body) {
      this(status, body, null);
    }
  }

  private final MirrorStore store;
  private final Faults faults;
  private final LongAdder requests;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final Map<String, String> traceparents;

  /** {@code traceparents}: where the trace context each write arrived with is put, by {@link #writeKey}. */
  MirrorHttpHandler(
      MirrorStore store,
      Faults faults,
      LongAdder requests,
      ExecutorService workers,
      ScheduledExecutorService scheduler,
      Map<String, String> traceparents) {
    this.store = store;
    this.traceparents = traceparents;
    this.faults = faults;
    this.requests = requests;
    this.workers = workers;
    this.scheduler = scheduler;
  }

  @Override
  public void handle(HttpExchange exchange) {
    requests.increment();
    Faults.Failure failure = faults.takeFailure();
    long delayNanos = faults.delayNanos();
    if (delayNanos == 0) {
      answer(exchange, failure);
      return;
    }
    try {
      scheduler.schedule(() -> answerOnWorker(exchange, failure), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      exchange.close();
    }
  }

  private void answerOnWorker(HttpExchange exchange, Faults.Failure failure) {
    try {
      workers.execute(() -> answer(exchange, failure));
    } catch (RejectedExecutionException stopping) {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange, Faults.Failure failure) {
    Response response = failure == null
        ? serve(exchange)
        : new Response(failure.status(), error("injected failure: answering " + failure.status()
            + " as asked by failNextRequests (" + failure.remaining() + " more to come); nothing was changed"));
    try {
      send(exchange, response);
    } catch (IOException e) {
      log.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
    } finally {
      exchange.close();
    }
    log.debug("{} {} -> {}", exchange.getRequestMethod(), exchange.getRequestURI(), response.status());
  }

  private Response serve(HttpExchange exchange) {
    try {
      return route(exchange);
    } catch (ProtocolException e) {
      return new Response(e.status(), error(e.getMessage()), e.allow());
    } catch (IOException e) {
      return new Response(400, error("could not read the request body: " + e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("reference mirror service failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      return new Response(500, error("internal error: " + e));
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    if (rawPath == null || !rawPath.startsWith(API_PREFIX)) {
      throw unknownPath(rawPath);
    }
    String[] segments = rawPath.substring(API_PREFIX.length()).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].isEmpty()) {
        throw unknownPath(rawPath);
      }
      segments[i] = decodePathSegment(segments[i]);
    }
    if (segments.length == 1) {
      if (segments[0].equals("_batch")) {
        requireMethod(method, rawPath, "POST");
        return batch(exchange);
      }
      requireMethod(method, rawPath, "GET");
      return list(segments[0], exchange.getRequestURI().getRawQuery());
    }
    if (segments.length == 2 && segments[0].equals(CHANGES)) {
      requireMethod(method, rawPath, "GET");
      return changes(segments[1], exchange.getRequestURI().getRawQuery());
    }
    if (segments.length == 2) {
      String resource = segments[0];
      String id = segments[1];
      switch (method) {
        case "GET":
          return get(resource, id);
        case "PUT":
          return upsert(exchange, resource, id);
        case "DELETE":
          return delete(exchange, resource, id);
        case "POST":
          if (id.equals("_get")) {
            return getMany(exchange, resource);
          }
          throw methodNotAllowed(method, rawPath, "GET, PUT, DELETE");
        default:
          throw methodNotAllowed(method, rawPath, id.equals("_get") ? "GET, PUT, DELETE, POST" : "GET, PUT, DELETE");
      }
    }
    throw unknownPath(rawPath);
  }

  // 1. PUT /v1/{resource}/{id}
  private Response upsert(HttpExchange exchange, String resource, String id) throws IOException {
    String idempotencyKey = idempotencyKey(exchange);
    long version = entityVersion(exchange);
    JsonNode body = readBody(exchange);
    if (!body.isObject()) {
      throw badRequest("body must be a JSON object (the full entity snapshot), got " + describe(body));
    }
    received(resource, id, requestTraceparent(exchange));
    return conditionalWrite(exchange, resource, id, idempotencyKey, StoredDocument.live(id, version, body));
  }

  /** A PUT or DELETE, conditional when it carries {@code Dualwrite-Expected-Version}: 412 when that is not held. */
  private Response conditionalWrite(HttpExchange exchange, String resource, String id, String idempotencyKey,
      StoredDocument candidate) {
    List<String> given = exchange.getRequestHeaders().get(EXPECTED_VERSION_HEADER);
    if (given != null && given.size() > 1) {
      throw badRequest("header " + EXPECTED_VERSION_HEADER + " is given " + given.size() + " times; give it once");
    }
    String expectedHeader = given == null || given.isEmpty() ? null : given.get(0).strip();
    if (expectedHeader == null) {
      return new Response(200, writeResult(store.write(resource, idempotencyKey, candidate)));
    }
    Precondition precondition;
    try {
      precondition = Precondition.parse(expectedHeader);
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    WriteResult result = store.write(resource, idempotencyKey, candidate, precondition);
    if (result.outcome() == WriteResult.Outcome.CONFLICT) {
      ObjectNode answer = error(resource + " " + id + ": " + EXPECTED_VERSION_HEADER + " is " + expectedHeader
          + " but the service holds " + (result.version() < 0 ? "nothing" : "version " + result.version()));
      if (result.version() >= 0) {
        answer.put("version", result.version());
        answer.put("origin", originName(store.origin(resource, id)));
      }
      return new Response(412, answer);
    }
    return new Response(200, writeResult(result));
  }

  private static String originName(MirrorStore.Origin origin) {
    return origin == MirrorStore.Origin.SERVICE ? "service" : "mirror";
  }

  // 2. DELETE /v1/{resource}/{id}
  private Response delete(HttpExchange exchange, String resource, String id) {
    String idempotencyKey = idempotencyKey(exchange);
    long version = entityVersion(exchange);
    received(resource, id, requestTraceparent(exchange));
    return conditionalWrite(exchange, resource, id, idempotencyKey, StoredDocument.tombstone(id, version));
  }

  // 3. POST /v1/_batch
  private Response batch(HttpExchange exchange) throws IOException {
    JsonNode body = readBody(exchange);
    if (!body.isObject()) {
      throw badRequest("body must be a JSON object {\"changes\": [...]}, got " + describe(body));
    }
    JsonNode changes = body.get("changes");
    if (changes == null || !changes.isArray()) {
      throw badRequest("field changes must be an array of changes, got " + describe(changes));
    }
    if (changes.size() > MAX_ITEMS) {
      throw badRequest("changes holds " + changes.size() + " items; at most " + MAX_ITEMS + " are allowed per batch");
    }
    ArrayNode results = MAPPER.createArrayNode();
    String requestTraceparent = requestTraceparent(exchange);
    for (int i = 0; i < changes.size(); i++) {
      results.add(batchItem("changes[" + i + "]", changes.get(i), requestTraceparent));
    }
    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("results", results);
    return new Response(200, answer);
  }

  /** {@code requestTraceparent}: the batch request's header, taken for an item that has no field of its own. */
  private ObjectNode batchItem(String at, JsonNode change, String requestTraceparent) {
    try {
      if (!change.isObject()) {
        throw badRequest(at + " must be a JSON object, got " + describe(change));
      }
      String resource = requiredString(change, at, "resource");
      String id = requiredString(change, at, "id");
      String operation = requiredString(change, at, "operation");
      long version = itemVersion(change, at);
      String idempotencyKey = optionalIdempotencyKey(change, at);
      StoredDocument candidate;
      switch (operation) {
        case "UPSERT":
          JsonNode data = change.get("data");
          if (data == null || !data.isObject()) {
            throw badRequest(at + ".data must be a JSON object for an UPSERT, got " + describe(data));
          }
          candidate = StoredDocument.live(id, version, data);
          break;
        case "DELETE":
          candidate = StoredDocument.tombstone(id, version);
          break;
        default:
          throw badRequest(at + ".operation must be UPSERT or DELETE, got \"" + operation + "\"");
      }
      JsonNode traceparent = change.get(TRACEPARENT);
      received(resource, id, traceparent != null && traceparent.isTextual() ? traceparent.textValue()
          : requestTraceparent);
      return writeResult(store.write(resource, idempotencyKey, candidate));
    } catch (ProtocolException rejected) {
      ObjectNode result = MAPPER.createObjectNode();
      result.put("outcome", "REJECTED");
      result.put("status", rejected.status());
      result.put("error", rejected.getMessage());
      return result;
    }
  }

  // 4. GET /v1/{resource}/{id}
  private Response get(String resource, String id) {
    StoredDocument document = store.get(resource, id);
    if (document == null) {
      return new Response(404, MAPPER.createObjectNode().put("id", id));
    }
    if (document.deleted()) {
      return new Response(404, MAPPER.createObjectNode().put("id", id).put("version", document.version())
          .put("deleted", true).put("origin", originName(store.origin(resource, id))));
    }
    return new Response(200, documentJson(document).put("origin", originName(store.origin(resource, id))));
  }

  // 5. POST /v1/{resource}/_get
  private Response getMany(HttpExchange exchange, String resource) throws IOException {
    JsonNode body = readBody(exchange);
    if (!body.isObject()) {
      throw badRequest("body must be a JSON object {\"ids\": [...]}, got " + describe(body));
    }
    JsonNode ids = body.get("ids");
    if (ids == null || !ids.isArray()) {
      throw badRequest("field ids must be an array of strings, got " + describe(ids));
    }
    if (ids.size() > MAX_ITEMS) {
      throw badRequest("ids holds " + ids.size() + " entries; at most " + MAX_ITEMS + " are allowed");
    }
    for (int i = 0; i < ids.size(); i++) {
      if (!ids.get(i).isTextual()) {
        throw badRequest("ids[" + i + "] must be a string, got " + describe(ids.get(i)));
      }
    }
    ArrayNode items = MAPPER.createArrayNode();
    for (JsonNode id : ids) {
      StoredDocument document = store.get(resource, id.textValue());
      if (document != null && !document.deleted()) {
        items.add(documentJson(document));
      }
    }
    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("items", items);
    return new Response(200, answer);
  }

  // 6. GET /v1/{resource}?after=&limit=
  private Response list(String resource, String rawQuery) {
    Map<String, String> query = parseQuery(rawQuery);
    String after = query.get("after");
    if (after != null && after.isEmpty()) {
      after = null;
    }
    int limit = limit(query.get("limit"));
    MirrorStore.Page page = store.page(resource, after, limit);
    ArrayNode items = MAPPER.createArrayNode();
    page.items().forEach(document -> items.add(documentJson(document)));
    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("items", items);
    List<StoredDocument> found = page.items();
    if (page.more()) {
      answer.put("next", found.get(found.size() - 1).id());
    } else {
      answer.putNull("next");
    }
    return new Response(200, answer);
  }

  // 7. GET /v1/_changes/{resource}?after=&limit=
  private Response changes(String resource, String rawQuery) {
    Map<String, String> query = parseQuery(rawQuery);
    String cursor = query.get("after");
    long after = 0;
    if (cursor != null && !cursor.isEmpty()) {
      after = parseVersion(cursor);
      if (after < 0) {
        throw badRequest("after must be a cursor this service answered as next, got '" + cursor + "'");
      }
    }
    int limit = limit(query.get("limit"));
    MirrorStore.FeedPage page = store.changes(resource, after, limit);
    if (page == null) {
      long oldest = store.forgottenThrough(resource);
      ObjectNode gone = error("the changes of " + resource + " after cursor " + after + " were compacted away; the"
          + " feed holds the changes after cursor " + oldest + ". Copy the resource again, then read on from there");
      gone.put("oldest", String.valueOf(oldest));
      return new Response(410, gone);
    }
    if (after > page.head()) {
      throw badRequest("after is " + after + ", beyond the newest change (" + page.head() + "); pass a cursor this"
          + " service answered as next");
    }
    ArrayNode items = MAPPER.createArrayNode();
    for (MirrorStore.FeedEntry entry : page.items()) {
      StoredDocument document = entry.document();
      ObjectNode item = items.addObject()
          .put("cursor", String.valueOf(entry.position()))
          .put("id", document.id())
          .put("version", document.version())
          .put("operation", document.deleted() ? "DELETE" : "UPSERT")
          .put("origin", entry.origin() == MirrorStore.Origin.MIRROR ? "mirror" : "service")
          .put("at", entry.appliedAt().toString());
      if (!document.deleted()) {
        item.set("data", document.data());
      }
    }
    long next = page.items().isEmpty() ? after : page.items().get(page.items().size() - 1).position();
    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("items", items);
    answer.put("next", String.valueOf(next));
    answer.put("head", String.valueOf(page.head()));
    return new Response(200, answer);
  }

  private static String idempotencyKey(HttpExchange exchange) {
    String key = header(exchange, IDEMPOTENCY_KEY, "an opaque string of 1 to " + MAX_KEY_LENGTH + " characters");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw badRequest("header " + IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " characters, got "
          + key.length());
    }
    return key;
  }

  private static long entityVersion(HttpExchange exchange) {
    String text = header(exchange, ENTITY_VERSION, "a decimal integer >= 0");
    long version = parseVersion(text);
    if (version < 0) {
      throw badRequest("header " + ENTITY_VERSION + " must be a decimal integer >= 0 that fits a signed 64-bit long,"
          + " got '" + text + "'");
    }
    return version;
  }

  /** The decimal version, or -1 when the text is not one. */
  private static long parseVersion(String text) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException tooLarge) {
      return -1;
    }
  }

  /** The request's {@code traceparent} header as sent, or null; the protocol makes it optional and never checks it. */
  private static String requestTraceparent(HttpExchange exchange) {
    return exchange.getRequestHeaders().getFirst(TRACEPARENT);
  }

  /** Remembers the trace context a write of (resource, id) arrived with; forgets it when it came without one. */
  private void received(String resource, String id, String traceparent) {
    if (traceparent == null) {
      traceparents.remove(writeKey(resource, id));
    } else {
      traceparents.put(writeKey(resource, id), traceparent);
    }
  }

  /** The key of a (resource, id) in the map of received trace contexts. */
  static String writeKey(String resource, String id) {
    return resource + "/" + id;
  }

  private static String header(HttpExchange exchange, String name, String expected) {
    List<String> values = exchange.getRequestHeaders().get(name);
    if (values == null || values.isEmpty()) {
      throw badRequest("missing header " + name + " (required on PUT and DELETE: " + expected + ")");
    }
    if (values.size() > 1) {
      throw badRequest("header " + name + " is given " + values.size() + " times; give it once");
    }
    return values.get(0).strip();
  }

  private static String requiredString(JsonNode change, String at, String field) {
    JsonNode value = change.get(field);
    if (value == null || value.isNull()) {
      throw badRequest(at + "." + field + " is missing");
    }
    if (!value.isTextual() || value.textValue().isEmpty()) {
      throw badRequest(at + "." + field + " must be a non-empty string, got " + describe(value));
    }
    return value.textValue();
  }

  private static long itemVersion(JsonNode change, String at) {
    JsonNode value = change.get("version");
    if (value == null || value.isNull()) {
      throw badRequest(at + ".version is missing");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw badRequest(at + ".version must be an integer >= 0 that fits a signed 64-bit long, got "
          + describe(value));
    }
    return value.longValue();
  }

  private static String optionalIdempotencyKey(JsonNode change, String at) {
    JsonNode value = change.get("idempotencyKey");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > MAX_KEY_LENGTH) {
      throw badRequest(at + ".idempotencyKey must be a string of 1 to " + MAX_KEY_LENGTH + " characters, got "
          + describe(value));
    }
    return value.textValue();
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    long limit = parseVersion(text);
    if (limit < 1 || limit > MAX_ITEMS) {
      throw badRequest("query parameter limit must be an integer from 1 to " + MAX_ITEMS + ", got '" + text + "'");
    }
    return (int) limit;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> parameters = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decodeQueryPart(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decodeQueryPart(pair.substring(equals + 1));
      if (parameters.putIfAbsent(name, value) != null) {
        throw badRequest("query parameter " + name + " is given more than once");
      }
    }
    return parameters;
  }

  private static String decodeQueryPart(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badRequest("query part '" + raw + "' is not valid percent-encoding: " + e.getMessage());
    }
  }

  /** Percent-decodes a path segment; unlike a query, '+' stays '+'. */
  private static String decodePathSegment(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badRequest("path segment '" + raw + "' is not valid percent-encoding: " + e.getMessage());
    }
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    if (bytes.length == 0) {
      throw badRequest("body is empty; expected a JSON object");
    }
    try {
      JsonNode body = MAPPER.readTree(bytes);
      if (body == null || body.isMissingNode()) {
        throw badRequest("body is empty; expected a JSON object");
      }
      return body;
    } catch (JsonProcessingException e) {
      throw badRequest("body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static void requireMethod(String method, String rawPath, String allowed) {
    if (!method.equals(allowed)) {
      throw methodNotAllowed(method, rawPath, allowed);
    }
  }

  private static ProtocolException unknownPath(String rawPath) {
    return notFound("no such path: " + rawPath + "; the mirror protocol v1 is served under " + API_PREFIX
        + " (see docs/protocol.md)");
  }

  private static ObjectNode writeResult(WriteResult result) {
    return MAPPER.createObjectNode().put("outcome", result.outcome().name()).put("version", result.version());
  }

  private static ObjectNode documentJson(StoredDocument document) {
    ObjectNode json = MAPPER.createObjectNode().put("id", document.id()).put("version", document.version());
    json.set("data", document.data());
    return json;
  }

  private static ObjectNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  /** A short description of a JSON value for error messages. */
  private static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    if (value.isArray()) {
      return "an array";
    }
    if (value.isObject()) {
      return "an object";
    }
    String text = value.toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", JSON);
    if (response.allow() != null) {
      exchange.getResponseHeaders().set("Allow", response.allow());
    }
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

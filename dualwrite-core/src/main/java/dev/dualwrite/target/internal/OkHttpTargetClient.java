package dev.dualwrite.target.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.FeedChange;
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.HeldVersion;
import dev.dualwrite.target.Precondition;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.Traceparent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Mirror protocol v1 over OkHttp. One change is sent on its own ({@code PUT}/{@code DELETE}), with its stored trace
 * context as the {@code traceparent} header; more go in one {@code POST /v1/_batch}, each item with its own
 * {@code traceparent} field. Thread-safe.
 */
public final class OkHttpTargetClient implements TargetClient {
  /** The header carrying the change's version. */
  public static final String VERSION_HEADER = "Dualwrite-Entity-Version";
  /** The header carrying what a conditional write expects the service to hold ({@link Precondition}). */
  public static final String EXPECTED_VERSION_HEADER = "Dualwrite-Expected-Version";
  /** The header carrying the change's idempotency key. */
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int ERROR_BODY_LIMIT = 300;

  private final HttpUrl baseUrl;
  private final OkHttpClient http;
  private final ObjectMapper mapper;
  private final JsonFactory jsonFactory;
  private final Map<String, Supplier<String>> headers;
  private final boolean ownsHttpClient;

  public OkHttpTargetClient(
      HttpUrl baseUrl,
      OkHttpClient http,
      ObjectMapper mapper,
      Map<String, Supplier<String>> headers,
      boolean ownsHttpClient) {
    this.baseUrl = baseUrl;
    this.http = http;
    this.mapper = mapper;
    this.jsonFactory = mapper.getFactory();
    this.headers = headers;
    this.ownsHttpClient = ownsHttpClient;
  }

  @Override
  public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    if (changes.size() == 1) {
      return List.of(deliverOne(changes.get(0), null));
    }
    return deliverBatch(changes);
  }

  @Override
  public DeliveryResult deliverIf(OutboxEntry change, Precondition precondition) {
    return deliverOne(change, precondition);
  }

  private DeliveryResult deliverOne(OutboxEntry change, Precondition precondition) {
    HttpUrl url =
        baseUrl.newBuilder().addPathSegment("v1").addPathSegment(change.resource())
            .addPathSegment(change.entityId()).build();
    Request.Builder request =
        authorised(new Request.Builder().url(url))
            .header(IDEMPOTENCY_HEADER, change.idempotencyKey())
            .header(VERSION_HEADER, Long.toString(change.version()));
    if (precondition != null) {
      request.header(EXPECTED_VERSION_HEADER, precondition.headerValue());
    }
    if (change.traceparent() != null) {
      request.header(Traceparent.HEADER, change.traceparent().toString());
    }
    if (change.operation() == ChangeOperation.DELETE) {
      request.delete();
    } else {
      request.put(RequestBody.create(change.payload(), JSON));
    }
    try (Response response = http.newCall(request.build()).execute()) {
      int status = response.code();
      String body = bodyOf(response);
      if (response.isSuccessful()) {
        return outcomeOf(read(body, response), status);
      }
      if (isPermanent(status)) {
        return DeliveryResult.rejected(status, shorten(body));
      }
      throw failure(status, body, request.build());
    } catch (IOException e) {
      throw unreachable(e, url);
    }
  }

  private List<DeliveryResult> deliverBatch(List<OutboxEntry> changes) {
    HttpUrl url = baseUrl.newBuilder().addPathSegment("v1").addPathSegment("_batch").build();
    Request request = authorised(new Request.Builder().url(url)).post(RequestBody.create(batchBody(changes), JSON))
        .build();
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      String body = bodyOf(response);
      if (response.isSuccessful()) {
        JsonNode results = read(body, response).path("results");
        if (!results.isArray() || results.size() != changes.size()) {
          throw new TargetException(status, "protocol violation: POST " + url + " answered " + results.size()
              + " results for " + changes.size() + " changes; every change needs one result, in order", null);
        }
        List<DeliveryResult> outcomes = new ArrayList<>(changes.size());
        for (JsonNode result : results) {
          outcomes.add(outcomeOf(result, status));
        }
        return outcomes;
      }
      if (isPermanent(status)) {
        // one bad change must not hold up the rest: send them one at a time to find it
        List<DeliveryResult> outcomes = new ArrayList<>(changes.size());
        for (OutboxEntry change : changes) {
          outcomes.add(deliverOne(change, null));
        }
        return outcomes;
      }
      throw failure(status, body, request);
    } catch (IOException e) {
      throw unreachable(e, url);
    }
  }

  @Override
  public Optional<TargetDocument> get(String resource, String id) {
    HttpUrl url = baseUrl.newBuilder().addPathSegment("v1").addPathSegment(resource).addPathSegment(id).build();
    Request request = authorised(new Request.Builder().url(url)).get().build();
    try (Response response = http.newCall(request).execute()) {
      String body = bodyOf(response);
      if (response.code() == 404) {
        return Optional.empty();
      }
      if (!response.isSuccessful()) {
        throw failure(response.code(), body, request);
      }
      return Optional.of(document(read(body, response), request));
    } catch (IOException e) {
      throw unreachable(e, url);
    }
  }

  @Override
  public Optional<HeldVersion> held(String resource, String id) {
    HttpUrl url = baseUrl.newBuilder().addPathSegment("v1").addPathSegment(resource).addPathSegment(id).build();
    Request request = authorised(new Request.Builder().url(url)).get().build();
    try (Response response = http.newCall(request).execute()) {
      String body = bodyOf(response);
      if (response.code() != 200 && response.code() != 404) {
        throw failure(response.code(), body, request);
      }
      JsonNode node = read(body, response);
      JsonNode version = node.path("version");
      if (response.code() == 404 && !version.canConvertToLong()) {
        return Optional.empty();
      }
      if (!version.canConvertToLong()) {
        throw new TargetException(200, "protocol violation: GET " + url + " answered a document without a version",
            null);
      }
      return Optional.of(new HeldVersion(id, version.asLong(), response.code() == 404,
          !"service".equals(node.path("origin").asText("mirror"))));
    } catch (IOException e) {
      throw unreachable(e, url);
    }
  }

  @Override
  public List<TargetDocument> getMany(String resource, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    HttpUrl url = baseUrl.newBuilder().addPathSegment("v1").addPathSegment(resource).addPathSegment("_get").build();
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(Map.of("ids", ids));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ids to get", e);
    }
    Request request = authorised(new Request.Builder().url(url)).post(RequestBody.create(json, JSON)).build();
    return items(request, url).items();
  }

  @Override
  public TargetPage list(String resource, String afterId, int limit) {
    HttpUrl.Builder url = baseUrl.newBuilder().addPathSegment("v1").addPathSegment(resource)
        .addQueryParameter("limit", Integer.toString(limit));
    if (afterId != null) {
      url.addQueryParameter("after", afterId);
    }
    HttpUrl built = url.build();
    return items(authorised(new Request.Builder().url(built)).get().build(), built);
  }

  @Override
  public FeedPage changes(String resource, String after, int limit) {
    HttpUrl.Builder url = baseUrl.newBuilder().addPathSegment("v1").addPathSegment("_changes")
        .addPathSegment(resource).addQueryParameter("limit", Integer.toString(limit));
    if (after != null) {
      url.addQueryParameter("after", after);
    }
    HttpUrl built = url.build();
    Request request = authorised(new Request.Builder().url(built)).get().build();
    return page(request, built, (root, items) -> {
      List<FeedChange> changes = new ArrayList<>(items.size());
      for (JsonNode item : items) {
        changes.add(feedChange(item, request));
      }
      JsonNode next = root.path("next");
      JsonNode head = root.path("head");
      return new FeedPage(changes, next.isTextual() ? next.asText() : after, head.isTextual() ? head.asText() : null);
    });
  }

  private static FeedChange feedChange(JsonNode node, Request request) {
    String operation = node.path("operation").asText("");
    JsonNode data = node.path("data");
    boolean upsert = operation.equals("UPSERT");
    if (!node.path("cursor").isTextual() || !node.path("id").isTextual() || !node.path("version").canConvertToLong()
        || !(upsert ? data.isObject() : operation.equals("DELETE"))) {
      throw new TargetException(200, "protocol violation: GET " + request.url() + " answered a change without a"
          + " string cursor and id, a numeric version, and UPSERT with an object data or DELETE", null);
    }
    Instant at = null;
    if (node.path("at").isTextual()) {
      try {
        at = Instant.parse(node.path("at").asText());
      } catch (DateTimeParseException e) {
        // "at" is informative; a change without a readable one is still a change
      }
    }
    return new FeedChange(node.path("cursor").asText(), node.path("id").asText(), node.path("version").asLong(),
        upsert ? ChangeOperation.UPSERT : ChangeOperation.DELETE, !"service".equals(node.path("origin").asText()),
        at, upsert ? data : null);
  }

  private TargetPage items(Request request, HttpUrl url) {
    return page(request, url, (root, items) -> {
      List<TargetDocument> documents = new ArrayList<>(items.size());
      for (JsonNode item : items) {
        documents.add(document(item, request));
      }
      JsonNode next = root.path("next");
      return new TargetPage(documents, next.isTextual() ? next.asText() : null);
    });
  }

  /** Sends a read answered with a page of {@code "items"}, and reads the page (the whole answer and its items). */
  private <T> T page(Request request, HttpUrl url, BiFunction<JsonNode, JsonNode, T> reader) {
    try (Response response = http.newCall(request).execute()) {
      String body = bodyOf(response);
      if (!response.isSuccessful()) {
        throw failure(response.code(), body, request);
      }
      JsonNode root = read(body, response);
      JsonNode items = root.path("items");
      if (!items.isArray()) {
        throw new TargetException(response.code(), "protocol violation: " + request.method() + " " + url
            + " answered without an \"items\" array", null);
      }
      return reader.apply(root, items);
    } catch (IOException e) {
      throw unreachable(e, url);
    }
  }

  private static TargetDocument document(JsonNode node, Request request) {
    JsonNode data = node.path("data");
    if (!node.path("id").isTextual() || !node.path("version").canConvertToLong() || !data.isObject()) {
      throw new TargetException(200, "protocol violation: " + request.method() + " " + request.url()
          + " answered a document without a string id, a numeric version and an object data", null);
    }
    return new TargetDocument(node.path("id").asText(), node.path("version").asLong(), data);
  }

  private byte[] batchBody(List<OutboxEntry> changes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * changes.size());
    try (JsonGenerator json = jsonFactory.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("changes");
      for (OutboxEntry change : changes) {
        json.writeStartObject();
        json.writeStringField("resource", change.resource());
        json.writeStringField("id", change.entityId());
        json.writeStringField("operation", change.operation().name());
        json.writeNumberField("version", change.version());
        json.writeStringField("idempotencyKey", change.idempotencyKey());
        if (change.traceparent() != null) {
          json.writeStringField(Traceparent.HEADER, change.traceparent().toString());
        }
        json.writeFieldName("data");
        if (change.payload() == null) {
          json.writeNull();
        } else {
          json.writeRawValue(change.payload());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a batch of " + changes.size() + " changes", e);
    }
    return out.toByteArray();
  }

  private DeliveryResult outcomeOf(JsonNode result, int status) {
    String outcome = result.path("outcome").asText("");
    switch (outcome) {
      case "APPLIED":
        return DeliveryResult.applied();
      case "STALE":
        return DeliveryResult.stale();
      case "REJECTED": {
        int itemStatus = result.path("status").asInt(422);
        String error = shorten(result.path("error").asText(""));
        return isPermanent(itemStatus)
            ? DeliveryResult.rejected(itemStatus, error)
            : DeliveryResult.retry(itemStatus, error);
      }
      default:
        throw new TargetException(status, "protocol violation: outcome '" + shorten(outcome)
            + "' is not APPLIED, STALE or REJECTED", null);
    }
  }

  /**
   * Whether a 4xx says the change itself is wrong, so retrying cannot help. 408 and 429 ask to come back later; 401,
   * 403, 404, 405, 407, 421 and 425 mean the request never reached the protocol's handler (credentials, base URL,
   * proxy), which is fixed by configuration, not by dropping the change: both kinds are retried.
   */
  static boolean isPermanent(int status) {
    if (status < 400 || status >= 500) {
      return false;
    }
    return switch (status) {
      case 401, 403, 404, 405, 407, 408, 421, 425, 429 -> false;
      default -> true;
    };
  }

  private Request.Builder authorised(Request.Builder request) {
    headers.forEach((name, value) -> request.header(name, value.get()));
    return request;
  }

  private JsonNode read(String body, Response response) {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new TargetException(response.code(), "protocol violation: " + response.request().method() + " "
          + response.request().url() + " answered " + response.code() + " with a body that is not JSON: "
          + shorten(body), e);
    }
  }

  private static String bodyOf(Response response) throws IOException {
    ResponseBody body = response.body();
    return body == null ? "" : body.string();
  }

  private static TargetException failure(int status, String body, Request request) {
    return new TargetException(status, request.method() + " " + request.url() + " answered " + status + ": "
        + shorten(body), null);
  }

  private static TargetException unreachable(IOException e, HttpUrl url) {
    return new TargetException(null, "new service unreachable at " + url + ": " + e, e);
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= ERROR_BODY_LIMIT ? oneLine : oneLine.substring(0, ERROR_BODY_LIMIT) + "...";
  }

  @Override
  public void close() {
    if (ownsHttpClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}

package dev.dualwrite.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The new service's read endpoints for {@code users} on a MockWebServer, answering from documents the test puts; the
 * next answers can be replaced by a scripted one (an error status, a delay). Records the ids each request asked for.
 */
final class MockUserService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "/mirror/v1/users/";

  private final MockWebServer server = new MockWebServer();
  private final Map<String, ObjectNode> documents = new ConcurrentHashMap<>();
  private final AtomicReference<MockResponse> scripted = new AtomicReference<>();
  final List<List<String>> requestedIds = new CopyOnWriteArrayList<>();

  MockUserService() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client of this service whose calls time out after {@code callTimeout}. */
  TargetClient client(Duration callTimeout) {
    return HttpTargetClient.builder(server.url("/mirror").toString()).withCallTimeout(callTimeout).build();
  }

  /** Holds user {@code id} with {@code name} and an email. */
  MockUserService put(long id, String name) {
    documents.put(Long.toString(id), JSON.createObjectNode().put("id", id).put("email", "user" + id + "@example.com")
        .put("name", name));
    return this;
  }

  /** Answers every request from now on with {@code response} instead. */
  void answerEveryRequestWith(MockResponse response) {
    scripted.set(response);
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    List<String> ids;
    if (request.getMethod().equals("POST") && path.equals(BASE + "_get")) {
      ids = JSON.convertValue(read(request.getBody().utf8()).path("ids"),
          JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    } else {
      ids = List.of(path.substring(BASE.length()));
    }
    requestedIds.add(ids);
    MockResponse script = scripted.get();
    if (script != null) {
      return script;
    }
    if (request.getMethod().equals("GET")) {
      ObjectNode data = documents.get(ids.get(0));
      return data == null ? json(404, "{\"error\":\"not found\"}") : json(200, document(ids.get(0), data).toString());
    }
    ArrayNode items = JSON.createArrayNode();
    ids.stream().filter(documents::containsKey).forEach(id -> items.add(document(id, documents.get(id))));
    return json(200, JSON.createObjectNode().set("items", items).toString());
  }

  private static ObjectNode document(String id, ObjectNode data) {
    ObjectNode document = JSON.createObjectNode().put("id", id).put("version", 1);
    document.set("data", data);
    return document;
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}

package dev.dualwrite.test.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A service whose change feed is broken in one way, for the conformance kit to catch: it passes every request to a
 * reference service and, for {@code GET /v1/_changes/...}, mangles the answer as its {@link Fault} says.
 */
final class BrokenFeedProxy implements AutoCloseable {
  /** How the feed is broken. */
  enum Fault {
    /** Each page lists its changes newest first. */
    OUT_OF_ORDER,
    /** The cursor is lost: every read starts from the beginning, whatever {@code after} says. */
    LOST_CURSOR
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final HttpServer server;
  private final String target;
  private final Fault fault;

  BrokenFeedProxy(String target, Fault fault) {
    this.target = target.replaceAll("/+$", "");
    this.fault = fault;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String pathAndQuery = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    boolean feed = pathAndQuery.startsWith("/v1/_changes/");
    if (feed && fault == Fault.LOST_CURSOR) {
      pathAndQuery = pathAndQuery.replaceAll("([?&])after=[^&]*&?", "$1");
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!List.of("host", "content-length", "connection").contains(name.toLowerCase())) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<String> answer;
    try {
      answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String text = answer.body();
    if (feed && fault == Fault.OUT_OF_ORDER && answer.statusCode() == 200) {
      ObjectNode page = (ObjectNode) JSON.readTree(text);
      List<JsonNode> items = new ArrayList<>();
      page.path("items").forEach(items::add);
      Collections.reverse(items);
      ArrayNode reversed = page.putArray("items");
      items.forEach(reversed::add);
      text = page.toString();
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(answer.statusCode(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.dualwrite.spring.browser;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium showing one page, driven through the DevTools protocol over a JDK WebSocket: evaluate
 * JavaScript in the page and click elements with real mouse events. Started with a fresh profile, no network
 * services of its own, and stopped (profile deleted) on {@link #close()}. Not thread-safe.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration CALL = Duration.ofSeconds(10);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, URI pageSocket) {
    this.process = process;
    this.profile = profile;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(CALL)
        .buildAsync(pageSocket, new Listener()).join();
  }

  /** The Chromium executable on the {@code PATH}, if any. */
  static Optional<Path> executable() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "chromium"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts Chromium on {@code url} and connects to the page. */
  static HeadlessChromium open(Path executable, URI url) throws IOException {
    Path profile = Files.createTempDirectory("dualwrite-chromium-");
    Process process = new ProcessBuilder(List.of(executable.toString(),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--window-size=1280,900", url.toString()))
        .redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile())
        .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      await("Chromium's DevTools port").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      URI pageSocket = await("the page's DevTools target").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
          .until(() -> pageSocket(port, url), Optional::isPresent).orElseThrow();
      return new HeadlessChromium(process, profile, pageSocket);
    } catch (RuntimeException e) {
      stop(process, profile);
      throw e;
    }
  }

  private static Optional<URI> pageSocket(int port, URI url) throws IOException, InterruptedException {
    HttpResponse<String> targets = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(CALL).build(),
        HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : JSON.readTree(targets.body())) {
      if ("page".equals(target.path("type").asText()) && target.path("url").asText().startsWith(url.toString())) {
        return Optional.of(URI.create(target.path("webSocketDebuggerUrl").asText()));
      }
    }
    return Optional.empty();
  }

  /**
   * Evaluates {@code expression} in the page (awaiting a promise) and returns its value as JSON.
   *
   * @throws IllegalStateException when the expression throws
   */
  JsonNode evaluate(String expression) {
    ObjectNode params = JSON.createObjectNode()
        .put("expression", expression)
        .put("returnByValue", true)
        .put("awaitPromise", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("page threw on '" + expression + "': " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Clicks the middle of the element {@code selector} matches with the left mouse button, as a person would. */
  void click(String selector) {
    JsonNode point = evaluate("(() => { const e = document.querySelector(" + JSON.valueToTree(selector) + ");"
        + " e.scrollIntoView({block: 'center', inline: 'center'}); const r = e.getBoundingClientRect();"
        + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
    for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
      ObjectNode params = JSON.createObjectNode()
          .put("type", type)
          .put("x", point.path("x").asDouble())
          .put("y", point.path("y").asDouble())
          .put("button", "left")
          .put("clickCount", type.equals("mouseMoved") ? 0 : 1);
      call("Input.dispatchMouseEvent", params);
    }
  }

  /** Clicks the element {@code selector} matches (which focuses it) and types {@code text} into it. */
  void type(String selector, String text) {
    click(selector);
    call("Input.insertText", JSON.createObjectNode().put("text", text));
  }

  /** Writes a PNG of the whole page, beyond the window's height, to {@code file}. */
  void screenshot(Path file) throws IOException {
    JsonNode size = evaluate("({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})");
    ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("scale", 1)
        .put("width", size.path("w").asDouble()).put("height", size.path("h").asDouble());
    ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.set("clip", clip);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(call("Page.captureScreenshot", params).path("data")
        .asText()));
  }

  private JsonNode call(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(message.toString(), true).join();
    try {
      JsonNode response = answer.get(CALL.toMillis(), TimeUnit.MILLISECONDS);
      if (response.has("error")) {
        throw new IllegalStateException(method + " failed: " + response.path("error"));
      }
      return response.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("no answer to " + method + " within " + CALL, e);
    } finally {
      pending.remove(id);
    }
  }

  @Override
  public void close() {
    socket.abort();
    stop(process, profile);
  }

  private static void stop(Process process, Path profile) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete Chromium's profile " + profile, e);
    }
  }

  /** Collects DevTools messages (which may arrive in parts) and hands each answer to its caller. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        try {
          JsonNode node = JSON.readTree(message.toString());
          CompletableFuture<JsonNode> answer = node.has("id") ? pending.get(node.path("id").asInt()) : null;
          if (answer != null) {
            answer.complete(node);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("DevTools sent something that is not JSON", e);
        } finally {
          message.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}

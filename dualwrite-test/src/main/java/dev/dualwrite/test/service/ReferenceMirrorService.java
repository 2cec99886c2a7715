package dev.dualwrite.test.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference implementation of the mirror protocol v1 (see {@code docs/protocol.md}): a real HTTP server on
 * 127.0.0.1 with its own in-memory store, for end-to-end tests, benchmarks and your own tests.
 *
 * <pre>{@code
 * try (ReferenceMirrorService service = ReferenceMirrorService.start()) {
 *   // point dualwrite (or your client) at service.baseUrl(), e.g. http://127.0.0.1:41234/mirror
 *   ...
 *   assertThat(service.document("users", "42")).hasValueSatisfying(d -> assertThat(d.version()).isEqualTo(7));
 * }
 * }</pre>
 *
 * <p>Every write follows the protocol's version rule (unless started with {@link #startIgnoringVersionRule()}), the
 * last 100,000 Idempotency-Keys are remembered and a replay is answered with the first outcome, every applied
 * write (and every write through {@link #writeThroughOwnApi}) is in the resource's change feed, and bad requests are
 * answered 400, 404, 405 or 410 with {@code {"error": "..."}}. The store outlives {@link #stop()}, so
 * {@link #restart()} brings the same data back on the same port.
 *
 * <p>Thread-safe: every method may be called from any thread while requests are being served. Methods taking
 * objects throw {@link NullPointerException} for null arguments unless said otherwise.
 */
public final class ReferenceMirrorService implements AutoCloseable, AfterEachCallback {
  private static final Logger log = LoggerFactory.getLogger(ReferenceMirrorService.class);
  private static final String HOST = "127.0.0.1";
  private static final int BACKLOG = 1024;
  private static final AtomicInteger THREADS = new AtomicInteger();

  static {
    // The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise; with the client's delayed ACKs that
    // adds up to 40 ms to small answers. Read once, when the server classes load: set it before the first server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private record Running(HttpServer server, ExecutorService workers, ScheduledExecutorService scheduler) {}

  private final boolean versionRule;
  private final MirrorStore store;
  private final Faults faults = new Faults();
  private final LongAdder requests = new LongAdder();
  private final Map<String, String> traceparents = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private final int port;
  private Running running;

  private ReferenceMirrorService(int requestedPort, boolean versionRule) {
    if (requestedPort < 0 || requestedPort > 65_535) {
      throw new IllegalArgumentException("port must be from 0 (any free port) to 65535, got " + requestedPort);
    }
    this.versionRule = versionRule;
    this.store = new MirrorStore(versionRule);
    this.running = launch(requestedPort);
    this.port = running.server().getAddress().getPort();
    log.info("reference mirror service started at {}{}", baseUrl(),
        versionRule ? "" : " IGNORING THE VERSION RULE (a broken test double)");
  }

  /**
   * Starts a service on 127.0.0.1 on a free port.
   *
   * @throws UncheckedIOException if the server cannot be started
   */
  public static ReferenceMirrorService start() {
    return new ReferenceMirrorService(0, true);
  }

  /**
   * Starts a service on 127.0.0.1 on the given port.
   *
   * @param port the port, or 0 for a free one
   * @throws IllegalArgumentException if the port is not from 0 to 65535
   * @throws UncheckedIOException if the port is taken or the server cannot be started otherwise
   */
  public static ReferenceMirrorService start(int port) {
    return new ReferenceMirrorService(port, true);
  }

  /**
   * Starts a deliberately broken service on a free port: it applies every write whatever its version, answering
   * APPLIED, so older writes overwrite newer ones. A test double for proving that a conformance check catches a
   * service that breaks the version rule; never use it as a stand-in for a real service. Everything else behaves as
   * in {@link #start()}.
   *
   * @throws UncheckedIOException if the server cannot be started
   */
  public static ReferenceMirrorService startIgnoringVersionRule() {
    return new ReferenceMirrorService(0, false);
  }

  /** The base URL to configure in dualwrite, {@code http://127.0.0.1:PORT/mirror}; also valid while stopped. */
  public String baseUrl() {
    return "http://" + HOST + ":" + port + MirrorHttpHandler.BASE_PATH;
  }

  /** The port the service listens on (and listens on again after {@link #restart()}). */
  public int port() {
    return port;
  }

  /**
   * Stops the HTTP server: from now on connections are refused and requests in progress are cut off. The store,
   * the counters and the fault knobs are kept. Does nothing when already stopped.
   */
  public void stop() {
    synchronized (lifecycle) {
      if (running == null) {
        return;
      }
      running.server().stop(0);
      running.workers().shutdownNow();
      running.scheduler().shutdownNow();
      running = null;
      log.info("reference mirror service stopped at {}", baseUrl());
    }
  }

  /**
   * Starts the HTTP server again on the same port with the same store, e.g. after a test kept the service down for
   * a while. A running service is stopped first.
   *
   * @throws UncheckedIOException if the port has been taken meanwhile or the server cannot be started otherwise
   */
  public void restart() {
    synchronized (lifecycle) {
      stop();
      running = launch(port);
      log.info("reference mirror service restarted at {}", baseUrl());
    }
  }

  /** Same as {@link #stop()}. */
  /**
   * Stops the service after each test when it is registered on an instance field, so a test class needs no
   * lifecycle methods of its own:
   *
   * <pre>{@code
   * @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();
   * }</pre>
   */
  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * The document or tombstone held for the (resource, id), or empty when nothing is held. The data is a copy.
   */
  public Optional<StoredDocument> document(String resource, String id) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(store.get(resource, id)).map(StoredDocument::copy);
  }

  /**
   * The live (not deleted) documents of the resource by id, iterating in the protocol's listing order (canonical
   * decimal integer ids numerically first, then the others by {@link String#compareTo}). An unmodifiable snapshot
   * whose data are copies; empty for an unknown resource.
   */
  public Map<String, StoredDocument> liveDocuments(String resource) {
    Objects.requireNonNull(resource, "resource");
    return store.liveCopies(resource);
  }

  /**
   * The W3C trace context the last write of the (resource, id) arrived with, as sent: the {@code traceparent} header
   * of its {@code PUT} or {@code DELETE}, or for an item of a batch the item's {@code traceparent} field (the batch
   * request's header when the item has none). Empty when that write carried none, or no write of it arrived since
   * start or the last {@link #clear()}. Read it with {@link dev.dualwrite.trace.Traceparent#parse}.
   */
  public Optional<String> traceparent(String resource, String id) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(traceparents.get(MirrorHttpHandler.writeKey(resource, id)));
  }

  /** How many writes (single or batch items) were applied since start or the last {@link #clear()}. */
  public long appliedCount() {
    return store.appliedCount();
  }

  /**
   * How many writes (single or batch items) were answered STALE under the version rule since start or the last
   * {@link #clear()}. Replays answered from the Idempotency-Key memory are counted in neither this nor
   * {@link #appliedCount()}.
   */
  public long staleCount() {
    return store.staleCount();
  }

  /** How many HTTP requests arrived, whatever their answer, since start or the last {@link #clear()}. */
  public long requestCount() {
    return requests.sum();
  }

  /**
   * Stores a document as if it had been written, regardless of the version held (for verifier tests). With null
   * data, plants a tombstone. Does not count as an applied write.
   *
   * @param data the entity snapshot, a JSON object (copied); null for a tombstone
   * @throws IllegalArgumentException if {@code version} is negative or {@code data} is not a JSON object
   */
  public void plant(String resource, String id, long version, JsonNode data) {
    Objects.requireNonNull(resource, "resource");
    StoredDocument document = data == null
        ? StoredDocument.tombstone(id, version)
        : StoredDocument.live(id, version, data.deepCopy());
    store.plant(resource, document);
  }

  /**
   * Writes {@code data} to the (resource, id) through the service's own API, as the new service's own clients would
   * once it owns the entity: at one version above the one held (1 when nothing is), always applied, and in the change
   * feed ({@code GET /v1/_changes/{resource}}) with origin {@code service}. With null data, deletes (a tombstone).
   *
   * @param data the entity, a JSON object (copied); null to delete
   * @return what is held after the write
   */
  public StoredDocument writeThroughOwnApi(String resource, String id, JsonNode data) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    return store.writeOwn(resource, id, data).copy();
  }

  /**
   * Forgets the resource's changes up to and including feed cursor {@code cursor}, as a service compacting its feed
   * would: a reader asking for changes after an earlier cursor is answered 410 Gone.
   */
  public void forgetChangesThrough(String resource, String cursor) {
    Objects.requireNonNull(resource, "resource");
    store.forgetChanges(resource, Long.parseLong(cursor));
  }

  /**
   * Removes the (resource, id) entirely, leaving no tombstone, so that any version is applied next. Idempotency-Keys
   * already seen for it are still remembered. Does nothing when nothing is held.
   */
  public void remove(String resource, String id) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    store.remove(resource, id);
  }

  /**
   * Forgets every document and tombstone of every resource, every change feed, every Idempotency-Key and every
   * received trace context, and zeroes the counters. The fault knobs are kept.
   */
  public void clear() {
    store.clear();
    requests.reset();
    traceparents.clear();
  }

  /**
   * Makes every request (write or read) wait {@code delay} before it is served and answered; {@link Duration#ZERO}
   * turns this off. A write is applied at the end of the wait, so a client that gave up meanwhile still finds it
   * applied later, as with a real slow service. Waiting requests hold no thread.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public void respondSlowly(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    faults.respondSlowly(delay);
  }

  /**
   * Makes the next {@code count} requests, of any kind, answer {@code status} with an {@code {"error": ...}} body
   * and change nothing. Replaces an earlier call's failures still to come; 0 cancels them.
   *
   * @param count how many requests fail, {@code >= 0}
   * @param status the HTTP status they answer, from 400 to 599
   * @throws IllegalArgumentException if {@code count} is negative or {@code status} is not from 400 to 599
   */
  public void failNextRequests(int count, int status) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP error status from 400 to 599, got " + status);
    }
    faults.failNext(count, status);
  }

  @Override
  public String toString() {
    return "ReferenceMirrorService[" + baseUrl() + (versionRule ? "" : ", ignoring the version rule") + "]";
  }

  private Running launch(int requestedPort) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(HOST, requestedPort), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the reference mirror service on " + HOST + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    ExecutorService workers = Executors.newFixedThreadPool(threads, daemonThreads("reference-mirror-worker-"));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("reference-mirror-delay-"));
    server.setExecutor(workers);
    server.createContext("/", new MirrorHttpHandler(store, faults, requests, workers, scheduler,
        traceparents));
    server.start();
    return new Running(server, workers, scheduler);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}

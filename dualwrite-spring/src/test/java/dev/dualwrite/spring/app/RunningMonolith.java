package dev.dualwrite.spring.app;

import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link MonolithApplication} running on a test class's database (PostgreSQL schema or MariaDB database) and a free loopback port, mirroring to a
 * {@link ReferenceMirrorService}, with quick retries, every read compared in the comparing phases and the endpoint's
 * write operations on (unless overridden).
 */
public final class RunningMonolith implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final ConfigurableApplicationContext context;
  private final URI base;

  private RunningMonolith(ConfigurableApplicationContext context) {
    this.context = context;
    this.base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/");
  }

  /**
   * Empties dualwrite's tables in {@code db} and starts the application.
   *
   * @param properties more {@code name=value} properties, overriding the defaults here
   */
  public static RunningMonolith start(TestDatabase db, ReferenceMirrorService service, String... properties) {
    return start(db, service, new Class<?>[0], properties);
  }

  /** As {@link #start(TestDatabase, ReferenceMirrorService, String...)}, with {@code sources} added to the application. */
  public static RunningMonolith start(TestDatabase db, ReferenceMirrorService service, Class<?>[] sources,
      String... properties) {
    DualWriteSchema.createIfMissing(db.dataSource());
    db.execute("DELETE FROM dualwrite_outbox", "DELETE FROM dualwrite_phase", "DELETE FROM dualwrite_phase_history");
    Map<String, String> settings = new LinkedHashMap<>();
    for (String property : List.of(
        "spring.main.banner-mode=off",
        "spring.datasource.url=" + db.jdbcUrl(),
        "spring.jpa.hibernate.ddl-auto=create-drop",
        "spring.jpa.open-in-view=false",
        "server.address=127.0.0.1",
        "server.port=0",
        "management.endpoints.web.exposure.include=dualwrite,metrics",
        "dualwrite.target.url=" + service.baseUrl(),
        "dualwrite.phase-staleness=100ms",
        "dualwrite.relay.poll-interval=50ms",
        "dualwrite.entities.customers.sensitive-fields=email",
        "dualwrite.entities.customers.shadow-sample-rate=1",
        "dualwrite.entities.customers.retry.delay=20ms",
        "dualwrite.entities.customers.retry.max-delay=200ms",
        "dualwrite.entities.customers.retry.max-attempts=50",
        "dualwrite.endpoint.write-operations-enabled=true")) {
      put(settings, property);
    }
    for (String property : properties) {
      put(settings, property);
    }
    String[] args = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
    return new RunningMonolith(
        new SpringApplicationBuilder(MonolithApplication.class).sources(sources).run(args));
  }

  private static void put(Map<String, String> settings, String property) {
    int equals = property.indexOf('=');
    settings.put(property.substring(0, equals), property.substring(equals + 1));
  }

  /** The application's bean of {@code type}. */
  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** The application's address, e.g. {@code http://127.0.0.1:41234/}. */
  public URI base() {
    return base;
  }

  /** {@code GET path} (relative to the application's root), as JSON. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").GET());
  }

  /** {@code POST path} with a JSON body. */
  public HttpResponse<String> post(String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}

package dev.dualwrite.spring.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The timer {@code dualwrite.target.requests}: every HTTP call of the new service's client, from sending the request
 * to its answer's headers (or the failure), with low-cardinality tags:
 *
 * <table>
 *   <caption>Tags</caption>
 *   <tr><th>tag</th><th>values</th></tr>
 *   <tr><td>{@code operation}</td><td>{@code upsert}, {@code delete}, {@code batch}, {@code get}, {@code get-many},
 *       {@code list}, {@code changes} (the mirror protocol's requests), {@code other}</td></tr>
 *   <tr><td>{@code resource}</td><td>the new service's resource, {@code none} for a batch</td></tr>
 *   <tr><td>{@code status}</td><td>the HTTP status, or {@code IO_ERROR} when there was no answer</td></tr>
 *   <tr><td>{@code outcome}</td><td>{@code SUCCESS} (2xx), {@code REDIRECTION}, {@code CLIENT_ERROR} (4xx),
 *       {@code SERVER_ERROR} (5xx), {@code UNKNOWN} (no answer)</td></tr>
 * </table>
 *
 * <p>An OkHttp {@link Interceptor} for the client (given to
 * {@link dev.dualwrite.target.HttpTargetClientBuilder#withInterceptor}) and a {@link MeterBinder}: it records into
 * every registry it was bound to; calls made before it is bound are not timed. Thread-safe.
 */
public final class TargetRequestMetrics implements Interceptor, MeterBinder {
  /** The timer's name. */
  public static final String METER = "dualwrite.target.requests";

  private final int basePathSegments;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  /**
   * Times the calls of a client whose mirror-protocol base URL is {@code baseUrl}, which tells where the protocol's
   * path starts ({@code /v1/...}). The client's builder checks the URL; one that does not parse is taken as a URL
   * without a path.
   */
  public TargetRequestMetrics(String baseUrl) {
    HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl);
    List<String> segments = url == null ? List.of() : url.pathSegments();
    // a trailing slash leaves an empty last segment, which the client's paths replace
    boolean trailingSlash = !segments.isEmpty() && segments.get(segments.size() - 1).isEmpty();
    this.basePathSegments = trailingSlash ? segments.size() - 1 : segments.size();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    long start = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException e) {
      record(request, "IO_ERROR", "UNKNOWN", System.nanoTime() - start);
      throw e;
    }
    record(request, Integer.toString(response.code()), outcome(response.code()), System.nanoTime() - start);
    return response;
  }

  private void record(Request request, String status, String outcome, long nanos) {
    if (registries.isEmpty()) {
      return;
    }
    Tags tags = operation(request).and("status", status, "outcome", outcome);
    for (MeterRegistry registry : registries) {
      Timer.builder(METER)
          .description("HTTP calls of the new service's mirror protocol")
          .tags(tags)
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The request's operation and resource, from its method and the path after the base URL's. */
  Tags operation(Request request) {
    List<String> path = request.url().pathSegments();
    List<String> rest = path.size() > basePathSegments ? path.subList(basePathSegments, path.size()) : List.of();
    String method = request.method();
    String operation = "other";
    String resource = "none";
    if (rest.size() >= 2 && rest.get(0).equals("v1")) {
      String second = rest.get(1);
      if (rest.size() == 2 && second.equals("_batch") && method.equals("POST")) {
        operation = "batch";
      } else if (rest.size() == 2 && method.equals("GET")) {
        operation = "list";
        resource = second;
      } else if (rest.size() == 3 && second.equals("_changes") && method.equals("GET")) {
        operation = "changes";
        resource = rest.get(2);
      } else if (rest.size() == 3 && rest.get(2).equals("_get") && method.equals("POST")) {
        operation = "get-many";
        resource = second;
      } else if (rest.size() == 3) {
        resource = second;
        operation = switch (method) {
          case "PUT" -> "upsert";
          case "DELETE" -> "delete";
          case "GET" -> "get";
          default -> "other";
        };
      }
    }
    return Tags.of("operation", operation, "resource", operation.equals("other") ? "none" : resource);
  }

  private static String outcome(int status) {
    if (status >= 200 && status < 300) {
      return "SUCCESS";
    } else if (status >= 300 && status < 400) {
      return "REDIRECTION";
    } else if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    } else if (status >= 500 && status < 600) {
      return "SERVER_ERROR";
    }
    return "UNKNOWN";
  }
}

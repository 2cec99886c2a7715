package dev.dualwrite.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.internal.Settings;
import dev.dualwrite.target.internal.NoDelaySocketFactory;
import dev.dualwrite.target.internal.OkHttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Builds the HTTP mirror-protocol client. Settings are checked in {@link #build()}. Not thread-safe; the client is.
 */
public final class HttpTargetClientBuilder {
  private final String baseUrl;
  private OkHttpClient okHttpClient;
  private ObjectMapper objectMapper;
  /** How long a connection may take to open unless {@link #withConnectTimeout} says otherwise. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** How long a call may take in all unless {@link #withCallTimeout} says otherwise. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
  private final Map<String, Supplier<String>> headers = new LinkedHashMap<>();
  private final List<Interceptor> interceptors = new ArrayList<>();

  HttpTargetClientBuilder(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * An OkHttp client to start from: its TLS settings (socket factory, trust manager, certificate pinning), proxy,
   * interceptors and connection pool are kept; the timeouts below are applied on top. Without one, dualwrite's own
   * client turns Nagle's algorithm off on its sockets ({@code TCP_NODELAY}); give yours a socket factory that does
   * the same, or each delivery may wait up to 40 ms for a delayed acknowledgement.
   */
  public HttpTargetClientBuilder withOkHttpClient(OkHttpClient okHttpClient) {
    this.okHttpClient = okHttpClient;
    return this;
  }

  /** The Jackson mapper used to read the service's answers; a plain one by default. */
  public HttpTargetClientBuilder withObjectMapper(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
    return this;
  }

  /** How long to wait for a connection; default 2 s. */
  public HttpTargetClientBuilder withConnectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  /** How long one whole call may take, from connecting to reading the answer; default 10 s. */
  public HttpTargetClientBuilder withCallTimeout(Duration timeout) {
    this.callTimeout = timeout;
    return this;
  }

  /**
   * Sends {@code Authorization: Bearer <token>} on every request, asking {@code token} each time (so a rotated token
   * is picked up). The token never appears in logs or errors.
   */
  public HttpTargetClientBuilder withBearerToken(Supplier<String> token) {
    return withHeader("Authorization", token == null ? null : () -> "Bearer " + token.get());
  }

  /** Sends a header of your own on every request, asking {@code value} each time; never logged. */
  public HttpTargetClientBuilder withHeader(String name, Supplier<String> value) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("header name is blank; give the header's name");
    }
    headers.put(name, value);
    return this;
  }

  /**
   * Adds an OkHttp application interceptor, after those of the client given to {@link #withOkHttpClient}: it sees
   * every request of the mirror protocol and its answer or failure, once per call (for example to time the calls).
   * It must not change what is sent or answered.
   *
   * @throws IllegalArgumentException when {@code interceptor} is null
   */
  public HttpTargetClientBuilder withInterceptor(Interceptor interceptor) {
    if (interceptor == null) {
      throw new IllegalArgumentException("interceptor is null");
    }
    interceptors.add(interceptor);
    return this;
  }

  /**
   * Checks the settings and builds the client.
   *
   * @throws IllegalArgumentException naming the setting at fault
   */
  public TargetClient build() {
    HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl);
    if (url == null) {
      throw new IllegalArgumentException(
          "baseUrl is '" + baseUrl + "'; give the new service's http(s) URL, e.g. http://127.0.0.1:8081/mirror");
    }
    checkTimeout("connectTimeout", connectTimeout);
    checkTimeout("callTimeout", callTimeout);
    headers.forEach((name, value) -> {
      if (value == null) {
        throw new IllegalArgumentException("header '" + name + "' has no value supplier");
      }
    });
    OkHttpClient base = okHttpClient != null ? okHttpClient
        : new OkHttpClient.Builder().socketFactory(new NoDelaySocketFactory()).build();
    OkHttpClient.Builder configured =
        base.newBuilder().connectTimeout(connectTimeout).callTimeout(callTimeout).readTimeout(callTimeout);
    interceptors.forEach(configured::addInterceptor);
    OkHttpClient client = configured.build();
    return new OkHttpTargetClient(
        url, client, objectMapper != null ? objectMapper : new ObjectMapper(), Map.copyOf(headers),
        okHttpClient == null);
  }

  private static void checkTimeout(String name, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw Settings.invalid(name, timeout, "more than 0 and at most 10 minutes");
    }
  }
}

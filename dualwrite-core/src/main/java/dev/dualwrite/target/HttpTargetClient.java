package dev.dualwrite.target;

/**
 * The HTTP mirror-protocol v1 client (docs/protocol.md), on OkHttp and Jackson.
 *
 * <pre>{@code
 * TargetClient client = HttpTargetClient.builder("http://user-service:8081/mirror")
 *     .withBearerToken(() -> tokens.current())
 *     .withCallTimeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>One change goes as {@code PUT} or {@code DELETE /v1/{resource}/{id}} with {@code Idempotency-Key} and
 * {@code Dualwrite-Entity-Version} headers; several go as one {@code POST /v1/_batch}. A batch refused as a whole
 * with a permanent 4xx is resent one change at a time, so one bad change cannot hold up the others.
 */
public final class HttpTargetClient {
  private HttpTargetClient() {}

  /**
   * Starts the configuration of a client for the service at {@code baseUrl} (the URL the {@code /v1/...} paths hang
   * from, e.g. {@code http://127.0.0.1:8081/mirror}).
   */
  public static HttpTargetClientBuilder builder(String baseUrl) {
    return new HttpTargetClientBuilder(baseUrl);
  }
}

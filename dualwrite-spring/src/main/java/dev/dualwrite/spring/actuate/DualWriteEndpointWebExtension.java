package dev.dualwrite.spring.actuate;

import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code dualwrite} endpoint's write operations over HTTP: a refusal answers its status (403 write operations
 * off, 404 unknown entity, 400 invalid value, 409 move not allowed) with {@code {"error": "..."}} saying why. Reads are
 * the endpoint's own. Thread-safe.
 */
@EndpointWebExtension(endpoint = DualWriteEndpoint.class)
public final class DualWriteEndpointWebExtension {
  private final DualWriteEndpoint endpoint;

  /** The web face of {@code endpoint}. */
  public DualWriteEndpointWebExtension(DualWriteEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** See {@link DualWriteEndpoint#move}. */
  @WriteOperation
  @SuppressWarnings("deprecation") // Spring Boot 3.5 takes only Spring's own @Nullable for an optional parameter
  public WebEndpointResponse<OperationResponseBody> move(
      @Selector String entity,
      String phase,
      @org.springframework.lang.Nullable String reason,
      @org.springframework.lang.Nullable Boolean force,
      SecurityContext securityContext) {
    return answer(() -> endpoint.move(entity, phase, reason, force, securityContext));
  }

  /** See {@link DualWriteEndpoint#retryDeadLetters}. */
  @WriteOperation
  public WebEndpointResponse<OperationResponseBody> retryDeadLetters(
      @Selector String entity, @Selector String deadLetters) {
    return answer(() -> endpoint.retryDeadLetters(entity, deadLetters));
  }

  private static WebEndpointResponse<OperationResponseBody> answer(Supplier<OperationResponseBody> operation) {
    try {
      return new WebEndpointResponse<>(operation.get(), WebEndpointResponse.STATUS_OK);
    } catch (DualWriteEndpointException e) {
      return new WebEndpointResponse<>(new Refused(e.getMessage()), e.refusal().status());
    }
  }

  /**
   * The body of a refused request.
   *
   * @param error why it was refused and what to do
   */
  public record Refused(String error) implements OperationResponseBody {}
}

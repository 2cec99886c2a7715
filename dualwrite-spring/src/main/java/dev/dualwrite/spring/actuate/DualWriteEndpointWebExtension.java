package dev.dualwrite.spring.actuate;

import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code dualwrite} endpoint over HTTP: every refusal, of a read or a write, answers its status (403 write
 * operations off, 404 unknown entity, operation or dead letter, 400 invalid or missing value, 409 move refused or a
 * run still going) with the same body, {@code {"error": "..."}}, saying why and what to do. A started backfill or
 * verification answers 202. Thread-safe.
 */
@EndpointWebExtension(endpoint = DualWriteEndpoint.class)
public final class DualWriteEndpointWebExtension {
  private static final int ACCEPTED = 202;

  private final DualWriteEndpoint endpoint;

  /** The web face of {@code endpoint}. */
  public DualWriteEndpointWebExtension(DualWriteEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** See {@link DualWriteEndpoint#entity}. */
  @ReadOperation
  public WebEndpointResponse<OperationResponseBody> entity(@Selector String entity) {
    return answer(() -> endpoint.entity(entity));
  }

  /** See {@link DualWriteEndpoint#move}. */
  @WriteOperation
  @SuppressWarnings("deprecation") // Spring Boot 3.5 takes only Spring's own @Nullable for an optional parameter
  public WebEndpointResponse<OperationResponseBody> move(
      @Selector String entity,
      @org.springframework.lang.Nullable String phase,
      @org.springframework.lang.Nullable String reason,
      @org.springframework.lang.Nullable Boolean force,
      @org.springframework.lang.Nullable Double canaryPercent,
      SecurityContext securityContext) {
    return answer(() -> endpoint.move(entity, phase, reason, force, canaryPercent, securityContext));
  }

  /** See {@link DualWriteEndpoint#operation}. */
  @WriteOperation
  @SuppressWarnings("deprecation") // Spring Boot 3.5 takes only Spring's own @Nullable for an optional parameter
  public WebEndpointResponse<OperationResponseBody> operation(
      @Selector String entity,
      @Selector String operation,
      @org.springframework.lang.Nullable String action,
      @org.springframework.lang.Nullable Long id,
      @org.springframework.lang.Nullable Long rowsPerSecond,
      @org.springframework.lang.Nullable Boolean restart,
      @org.springframework.lang.Nullable Double sample,
      @org.springframework.lang.Nullable Boolean repair,
      @org.springframework.lang.Nullable String reason,
      SecurityContext securityContext) {
    return answer(() -> endpoint.operation(entity, operation, action, id, rowsPerSecond, restart, sample, repair,
        reason, securityContext));
  }

  /** {@link #operation} without a reason. */
  @SuppressWarnings("deprecation")
  public WebEndpointResponse<OperationResponseBody> operation(String entity, String operation,
      @org.springframework.lang.Nullable String action, @org.springframework.lang.Nullable Long id,
      @org.springframework.lang.Nullable Long rowsPerSecond, @org.springframework.lang.Nullable Boolean restart,
      @org.springframework.lang.Nullable Double sample, @org.springframework.lang.Nullable Boolean repair,
      SecurityContext securityContext) {
    return operation(entity, operation, action, id, rowsPerSecond, restart, sample, repair, null, securityContext);
  }

  private static WebEndpointResponse<OperationResponseBody> answer(Supplier<OperationResponseBody> operation) {
    try {
      OperationResponseBody body = operation.get();
      return new WebEndpointResponse<>(body,
          body instanceof DualWriteEndpoint.JobResult ? ACCEPTED : WebEndpointResponse.STATUS_OK);
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

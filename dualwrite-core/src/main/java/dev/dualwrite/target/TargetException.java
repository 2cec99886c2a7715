package dev.dualwrite.target;

import dev.dualwrite.DualWriteException;

/**
 * A whole request to the new service failed: refused connection, timeout, 5xx, 408, 429, or an answer that breaks the
 * protocol. Every change in the request is retried with backoff; repeated failures open the circuit breaker. The
 * message holds the status and a short part of the answer, never request headers or payloads.
 */
public class TargetException extends DualWriteException {
  private final Integer status;

  public TargetException(Integer status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or {@code null} when no answer came. */
  public Integer status() {
    return status;
  }
}

package dev.dualwrite;

/**
 * Base of every exception dualwrite throws on purpose. Messages name the entity, the phase where one applies, and what
 * to do next.
 */
public class DualWriteException extends RuntimeException {
  public DualWriteException(String message) {
    super(message);
  }

  public DualWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.dualwrite.test.service;

/**
 * A request (or one batch item) the protocol does not accept; becomes {@code {"error": message}} with the status.
 */
final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient String allow;

  private ProtocolException(int status, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.allow = allow;
  }

  static ProtocolException badRequest(String message) {
    return new ProtocolException(400, message, null);
  }

  static ProtocolException notFound(String message) {
    return new ProtocolException(404, message, null);
  }

  static ProtocolException methodNotAllowed(String method, String path, String allow) {
    return new ProtocolException(
        405, "method " + method + " is not allowed on " + path + "; allowed: " + allow, allow);
  }

  int status() {
    return status;
  }

  /** The Allow header of a 405 answer, or null. */
  String allow() {
    return allow;
  }
}

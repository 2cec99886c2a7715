package dev.dualwrite.spring.actuate;

/**
 * A request to the {@code dualwrite} endpoint that was refused; the message says why and what to do.
 */
public class DualWriteEndpointException extends RuntimeException {

  /** Why a request was refused; each maps to an HTTP status. */
  public enum Refusal {
    /** Write operations are switched off (HTTP 403). */
    WRITES_DISABLED(403),
    /** No such entity, operation or dead letter (HTTP 404). */
    NOT_FOUND(404),
    /** A value in the request is missing or not valid, e.g. an unknown phase (HTTP 400). */
    INVALID(400),
    /**
     * The move is refused (a gate, a skip, another move won meanwhile), or a run of the same kind is still going
     * (HTTP 409).
     */
    CONFLICT(409);

    private final int status;

    Refusal(int status) {
      this.status = status;
    }

    /** The HTTP status that reports it. */
    public int status() {
      return status;
    }
  }

  private final Refusal refusal;

  /** A refusal of kind {@code refusal} with a message saying why. */
  public DualWriteEndpointException(Refusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  /** Why the request was refused. */
  public Refusal refusal() {
    return refusal;
  }
}

package dev.dualwrite.target;

import java.util.Objects;

/**
 * The new service's answer for one change.
 *
 * @param outcome what became of the change
 * @param status the HTTP(-like) status behind a {@link DeliveryOutcome#REJECTED} or {@link DeliveryOutcome#RETRY}, or
 *     {@code null}
 * @param error why it was rejected or must be retried, short; {@code null} when delivered
 */
public record DeliveryResult(DeliveryOutcome outcome, Integer status, String error) {
  public DeliveryResult {
    Objects.requireNonNull(outcome, "outcome");
  }

  /** The change was applied. */
  public static DeliveryResult applied() {
    return new DeliveryResult(DeliveryOutcome.APPLIED, null, null);
  }

  /** The service held the same or a newer version. */
  public static DeliveryResult stale() {
    return new DeliveryResult(DeliveryOutcome.STALE, null, null);
  }

  /** The service refused the change for good. */
  public static DeliveryResult rejected(int status, String error) {
    return new DeliveryResult(DeliveryOutcome.REJECTED, status, error);
  }

  /** The change should be tried again later. */
  public static DeliveryResult retry(Integer status, String error) {
    return new DeliveryResult(DeliveryOutcome.RETRY, status, error);
  }
}

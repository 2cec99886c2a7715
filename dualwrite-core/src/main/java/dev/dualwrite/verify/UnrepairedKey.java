package dev.dualwrite.verify;

import java.util.Objects;

/**
 * A key that a repair run could not bring to legacy's state, and why.
 *
 * @param id the entity's id
 * @param reason why the new service still differs and what to do about it, e.g. {@code the new service holds a newer
 *     version than dualwrite's sequence (v1000000000000) and answered STALE: ...}; never holds field values
 */
public record UnrepairedKey(String id, String reason) {
  public UnrepairedKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code 20: <reason>}. */
  public String describe() {
    return id + ": " + reason;
  }
}

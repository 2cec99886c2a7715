package dev.dualwrite.legacy;

import java.util.Objects;

/**
 * One legacy row as the mirror sends it: the entity's id and its JSON snapshot, exactly as the live write path would
 * send them for the row's current state. (Its version is given by the outbox when the snapshot is appended.)
 *
 * @param id the entity's id as it travels (its string form)
 * @param payload the entity snapshot, a JSON object, byte for byte what a live write of this state sends
 */
public record LegacyRow(String id, String payload) {
  public LegacyRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payload, "payload");
  }
}

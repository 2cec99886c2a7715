package dev.dualwrite.legacy.spi;

import java.util.Objects;

/**
 * One legacy row as the mirror sends it: the entity's id, its own version and its JSON snapshot, exactly as the live
 * write path would send them for the row's current state.
 *
 * @param id the entity's id as it travels (its string form)
 * @param version the entity's own version (its {@code @Version}), or {@code null} when it has none: the outbox then
 *     uses its row id, which grows with every change
 * @param payload the entity snapshot, a JSON object, byte for byte what a live write of this state sends
 */
public record LegacyRow(String id, Long version, String payload) {
  public LegacyRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payload, "payload");
  }
}

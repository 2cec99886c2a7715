package dev.dualwrite.legacy;

import java.util.Objects;

/**
 * One row to write into legacy as the new service holds it, for {@link LegacyTransaction#write}: the reverse sync of
 * {@code NEW_WRITES}.
 *
 * @param id the entity's id as it travels
 * @param snapshot the entity as a JSON object, in the form the write path sends it; {@code null} to delete the row
 */
public record LegacyWrite(String id, String snapshot) {
  public LegacyWrite {
    Objects.requireNonNull(id, "id");
  }
}

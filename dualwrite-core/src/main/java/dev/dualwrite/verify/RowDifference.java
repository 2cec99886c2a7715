package dev.dualwrite.verify;

import dev.dualwrite.snapshot.Difference;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An entity both stores hold with different snapshots.
 *
 * @param id the entity's id
 * @param newVersion the version the new service holds
 * @param fields where the snapshots differ; sensitive fields' values are masked
 */
public record RowDifference(String id, long newVersion, List<Difference> fields) {
  public RowDifference {
    Objects.requireNonNull(id, "id");
    fields = List.copyOf(fields);
  }

  /** {@code 42 (new v3): /name: legacy "Ada", new "Bob"; /email: legacy ***, new ***}. */
  public String describe() {
    return id + " (new v" + newVersion + "): " + fields.stream().map(Difference::toString)
        .collect(Collectors.joining("; "));
  }
}

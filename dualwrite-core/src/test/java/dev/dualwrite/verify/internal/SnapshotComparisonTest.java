package dev.dualwrite.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.snapshot.Difference;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SnapshotComparison comparison = new SnapshotComparison(Set.of(), Set.of("email"));

  @Test
  void numbersCompareByValueAndNullEqualsAbsent() {
    assertThat(comparison.differences(json("{\"id\":1,\"score\":1.0,\"team\":null}"),
        json("{\"id\":1.00,\"score\":1}"))).isEmpty();
  }

  @Test
  void differencesAreNamedByJsonPointerWithCompactJsonValues() {
    assertThat(comparison.differences(
        json("{\"id\":1,\"name\":\"Ada\",\"address\":{\"city\":\"London\",\"zip\":\"N1\"},\"tags\":[1,2],"
            + "\"a/b\":1}"),
        json("{\"id\":1,\"name\":\"Bob\",\"address\":{\"city\":\"Paris\",\"zip\":\"N1\"},\"tags\":[1,3,4],"
            + "\"a/b\":2,\"extra\":{\"x\":true}}")))
        .containsExactly(
            new Difference("/name", "\"Ada\"", "\"Bob\""),
            new Difference("/address/city", "\"London\"", "\"Paris\""),
            new Difference("/tags/1", "2", "3"),
            new Difference("/tags/2", null, "4"),
            new Difference("/a~1b", "1", "2"),
            new Difference("/extra", null, "{\"x\":true}"));
  }

  @Test
  void ignoredFieldsByNameOrPointerAreNotCompared() {
    SnapshotComparison ignoring = new SnapshotComparison(Set.of("updatedAt", "/address/geo"), Set.of());

    assertThat(ignoring.differences(
        json("{\"updatedAt\":\"2026-01-01\",\"address\":{\"geo\":[1,2],\"city\":\"London\"}}"),
        json("{\"updatedAt\":\"2027-01-01\",\"address\":{\"geo\":[3,4],\"city\":\"London\"}}")))
        .isEmpty();
  }

  @Test
  void sensitiveValuesAreMaskedAtAnyDepth() {
    assertThat(comparison.differences(
        json("{\"email\":\"a@x.org\",\"contact\":{\"email\":\"a@x.org\"},\"owner\":null}"),
        json("{\"email\":{\"primary\":\"b@x.org\"},\"contact\":{\"email\":\"b@x.org\"},"
            + "\"owner\":{\"name\":\"Bob\",\"email\":\"b@x.org\"}}")))
        .containsExactly(
            new Difference("/email", "***", "***"),
            new Difference("/contact/email", "***", "***"),
            new Difference("/owner", "null", "{\"name\":\"Bob\",\"email\":\"***\"}"));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}

package dev.dualwrite.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The W3C traceparent as dualwrite stores and sends it: read, written, and refused when it is not one. */
class TraceparentTest {
  private static final String TEXT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aVersion00TraceparentReadsBackAsTheSameText() {
    Traceparent parsed = Traceparent.parse(TEXT).orElseThrow();

    assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parsed.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(parsed.sampled()).isTrue();
    assertThat(parsed.toString()).isEqualTo(TEXT).hasSize(55);
    assertThat(Traceparent.parse(TEXT.replace("-01", "-00")).orElseThrow().sampled()).isFalse();
    assertThat(Traceparent.parse(TEXT.replace("-01", "-03")).orElseThrow().toString()).as("other flags: sampled only")
        .isEqualTo(TEXT);
  }

  @Test
  void whatIsNotAVersion00TraceparentIsNotRead() {
    assertThat(Traceparent.parse(null)).isEmpty();
    assertThat(Traceparent.parse("")).isEmpty();
    assertThat(Traceparent.parse(TEXT.replace("00-", "01-"))).as("another version").isEmpty();
    assertThat(Traceparent.parse(TEXT.toUpperCase())).as("upper case").isEmpty();
    assertThat(Traceparent.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).as("zero trace id").isEmpty();
    assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01")).isEmpty();
    assertThat(Traceparent.parse(TEXT + "-extra")).isEmpty();
  }

  @Test
  void idsFromATracerArePaddedAndLowerCased() {
    assertThat(Traceparent.of("A3CE929D0E0E4736", "00F067AA0BA902B7", false).toString())
        .as("a 64-bit trace id is padded to 128 bits")
        .isEqualTo("00-0000000000000000a3ce929d0e0e4736-00f067aa0ba902b7-00");
    assertThatThrownBy(() -> Traceparent.of("xyz", "00f067aa0ba902b7", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceId").hasMessageContaining("'xyz'");
    assertThatThrownBy(() -> new Traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "0".repeat(16), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spanId");
  }
}

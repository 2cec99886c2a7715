package dev.dualwrite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations, counts and the progress bar as the CLI prints them. */
class HumanTest {

  @Test
  void durationsUseTheirLargestUnitsNotIso8601() {
    assertThat(Human.duration(Duration.ofMillis(320))).isEqualTo("320 ms");
    assertThat(Human.duration(Duration.ofSeconds(47))).isEqualTo("47 s");
    assertThat(Human.duration(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
    assertThat(Human.duration(Duration.ofHours(24))).isEqualTo("1 d");
    assertThat(Human.duration(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    assertThat(Human.duration(null)).isEqualTo("-");
    assertThat(Human.count(35_210)).isEqualTo("35,210");
    assertThat(Human.percent(5)).isEqualTo("5 %");
    assertThat(Human.percent(12.5)).isEqualTo("12.5 %");
  }

  @Test
  void theProgressBarShowsShareCountTotalRateAndWhatItWaitsFor() {
    StringWriter err = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(err, true), "verify users");
    bar.draw(0, 100_000, "waiting for 35,210 undelivered changes");
    bar.draw(45_000, 100_000, null);
    bar.draw(100_000, 100_000, null);
    bar.finish();
    String[] frames = err.toString().split("\r");
    assertThat(frames[1]).startsWith("verify users [                              ]   0 % 0/100,000 rows  0 rows/s"
        + "  ETA ?  waiting for 35,210 undelivered changes");
    assertThat(frames[2]).startsWith("verify users [=============>                ]  45 % 45,000/100,000 rows  ")
        .containsPattern(" rows/s  ETA \\d+ (ms|s|min)")
        .as("blanks over the longer line before").hasSize(frames[1].length());
    assertThat(frames[3]).startsWith("verify users [==============================] 100 % 100,000/100,000 rows  ")
        .contains("rows/s  done").endsWith("\n");
  }
}

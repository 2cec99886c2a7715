package dev.dualwrite.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.snapshot.Difference;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationReportTest {
  private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void theSummaryLineHasExactlyTheAgreedForm() {
    VerificationReport report = new VerificationReport("users", false, 1, 100_000, 1, 2, 3, 0, 0, 0, 0,
        VerificationSamples.none(), START, START.plusSeconds(5));

    assertThat(report.summary()).isEqualTo("verify users: compared=100000 missing=1 extra=2 different=3");
  }

  @Test
  void describeStartsWithTheSummaryAndListsEachFinding() {
    VerificationSamples samples = new VerificationSamples(List.of("10"), List.of("5000"),
        List.of(new RowDifference("20", 3, List.of(new Difference("/email", "***", "***"),
            new Difference("/nickname", null, "\"Ada\"")))),
        List.of("77"), List.of(new UnrepairedKey("30", "its change is dead-lettered (...)")));
    VerificationReport report = new VerificationReport("users", true, 0.25, 400, 1, 1, 1, 1, 2, 1, 4, samples, START,
        null);

    assertThat(report.describe()).isEqualTo(String.join("\n",
        "verify users: compared=400 missing=1 extra=1 different=1",
        "  stopped before the end: run again to resume",
        "  sampled: 25.0 % of the keys were checked",
        "  retried: 4 read(s) of the new service that failed for a moment (no answer, 5xx, 408 or 429)",
        "  repaired: 2 key(s) the new service holds in legacy's state, read again after delivery",
        "  missing in the new service (1, first 1): 10",
        "  extra in the new service (1, first 1): 5000",
        "  different (1, first 1):",
        "    20 (new v3): /email: legacy ***, new ***; /nickname: legacy (absent), new \"Ada\"",
        "  in flight: still changing or undelivered when the re-checks ended (1, first 1): 77",
        "  not repaired (1, first 1):",
        "    30: its change is dead-lettered (...)"));
  }

  @Test
  void onlyAFinishedRunWithNothingFoundIsClean() {
    VerificationReport clean = new VerificationReport("users", false, 1, 10, 0, 0, 0, 0, 0, 0, 0,
        VerificationSamples.none(), START, START);
    VerificationReport stopped = new VerificationReport("users", false, 1, 10, 0, 0, 0, 0, 0, 0, 0,
        VerificationSamples.none(), START, null);
    VerificationReport inFlight = new VerificationReport("users", false, 1, 10, 0, 0, 0, 1, 0, 0, 0,
        VerificationSamples.none(), START, START);

    assertThat(clean.isClean()).isTrue();
    assertThat(clean.describe()).isEqualTo(clean.summary());
    assertThat(stopped.isClean()).isFalse();
    assertThat(inFlight.isClean()).isFalse();
  }
}

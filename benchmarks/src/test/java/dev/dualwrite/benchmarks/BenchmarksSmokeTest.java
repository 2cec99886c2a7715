package dev.dualwrite.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs every benchmark in quick mode so the harness cannot rot. Asserts that figures come out, not their values. */
class BenchmarksSmokeTest {

  @Test
  void everyBenchmarkRunsAndPrintsItsFigures() throws Exception {
    List<Figure> figures = Benchmarks.run("--quick");

    assertThat(figures).extracting(Figure::name).contains(
        "write_overhead_ratio", "lag_p50_ms", "lag_p99_ms", "relay_drain_rows_per_s", "router_decision_ns",
        "shadow_added_p99_ms", "backfill_rows_per_s", "backfill_heap_mb", "verify_rows_per_s", "verify_heap_mb");
    assertThat(figures).allSatisfy(f -> assertThat(f.value()).isFinite().isNotNegative());
    assertThat(figures).allSatisfy(f -> assertThat(f.toString()).matches("[a-z0-9_]+ [0-9.]+ \\S+"));
  }
}

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
        "write_overhead_ratio", "write_overhead_ratio_reference", "write_overhead_ratio_to_reference",
        "write_overhead_ratio_capture_only", "write_overhead_ratio_reference_capture_only", "undelivered_at_round_end",
        "undelivered_at_round_end_reference", "wal_bytes_per_tx_mirroring_off", "wal_bytes_per_tx_reference",
        "wal_bytes_per_tx_mirroring_on", "rows_written_per_tx_mirroring_off", "rows_written_per_tx_reference",
        "rows_written_per_tx_mirroring_on", "wal_bytes_ratio_to_reference", "lag_p50_ms", "lag_p99_ms", "relay_drain_rows_per_s", "router_decision_ns",
        "shadow_added_p99_ms", "backfill_rows_per_s", "backfill_heap_mb", "verify_rows_per_s", "verify_heap_mb");
    assertThat(figures).allSatisfy(f -> assertThat(f.value()).isFinite().isNotNegative());
    assertThat(figures).allSatisfy(f -> assertThat(f.toString()).matches("[a-z0-9_]+ [0-9.]+ \\S+"));
  }
}

package dev.dualwrite.benchmarks;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.SessionFactory;

/**
 * {@code backfill_rows_per_s}, {@code backfill_heap_mb}, {@code verify_rows_per_s}, {@code verify_heap_mb}: the
 * backfill of 1,000,000 legacy rows with its default settings but chunks of 5,000 (two threads; the copies go straight
 * to a loopback service in a process of its own, and through the outbox only when the service does not acknowledge
 * them), then the full verification of those rows. {@code backfill_delivered_rows_per_s} counts until the outbox is
 * drained too. Then {@code backfill_two_nodes_*}: the same rows copied again by two nodes sharing the chunks, in all
 * and per node, and {@code verify_two_nodes_*}: those rows verified by two nodes sharing one run, in all and per node
 * (the legacy rows each node compared). Heap figures are the peak heap in use in this JVM (dualwrite, Hibernate, the
 * JDBC pool) while each runs.
 */
final class BackfillVerifyBenchmark {

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    env.resetDualWriteTables();
    int rows = quick ? 2_000 : Integer.getInteger("dualwrite.bench.backfillRows", 1_000_000);
    List<Figure> figures = new ArrayList<>();
    try (ServiceProcess service = ServiceProcess.start();
        DualWrite dualWrite = env.node(b -> b.withTargetUrl(service.baseUrl)
            .withRelay(RelayConfig.builder().withBatchSize(1000).withConcurrency(2)
                .withDeliveredRetention(Duration.ZERO).build()));
        SessionFactory sessions = env.sessions(dualWrite)) {
      Sql.execute(env.dataSource, "INSERT INTO bench_users (id, version, name, email, score, createdAt)"
          + " SELECT g, 0, 'user ' || g, 'user' || g || '@example.com', g % 100, now()"
          + " FROM generate_series(1, " + rows + ") g");
      BenchEnvironment.moveTo(dualWrite, "users", MigrationPhase.DUAL_WRITE);
      LegacySource users = DualWriteHibernate.legacySource(sessions, "users");

      long start = System.nanoTime();
      BackfillCheckpoint done;
      try (HeapSampler heap = new HeapSampler()) {
        done = Backfill.builder(dualWrite, users).withChunkSize(5000).build().run();
        double copied = (System.nanoTime() - start) / 1e9;
        figures.add(new Figure("backfill_rows_per_s", done.rowsDone() / copied, "rows/s"));
        if (!dualWrite.relay().drain(Duration.ofMinutes(10))) {
          throw new IllegalStateException("the relay did not deliver the backfill in 10 minutes");
        }
        double delivered = (System.nanoTime() - start) / 1e9;
        figures.add(new Figure("backfill_delivered_rows_per_s", done.rowsDone() / delivered, "rows/s"));
        figures.add(new Figure("backfill_heap_mb", heap.peakMb(), "MiB"));
      }

      start = System.nanoTime();
      try (HeapSampler heap = new HeapSampler()) {
        VerificationReport report = Verifier.builder(dualWrite, users).withChunkSize(1000).build().verify();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!report.isClean()) {
          throw new IllegalStateException("the verification after the backfill is not clean: " + report.summary());
        }
        figures.add(new Figure("verify_rows_per_s", report.compared() / seconds, "rows/s"));
        figures.add(new Figure("verify_heap_mb", heap.peakMb(), "MiB"));
      }
      figures.add(new Figure("backfill_verify_rows", rows, "rows"));

      // the same rows copied again by two nodes at once, sharing the chunks: what each node did, not a speed-up (the
      // two nodes share this machine's two cores with PostgreSQL and the service)
      Backfill.builder(dualWrite, users).build().reset();
      try (DualWrite second = env.node(b -> b.withTargetUrl(service.baseUrl))) {
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
          long shared = System.nanoTime();
          Future<Long> first = nodes.submit(() -> copiedBy(dualWrite, users));
          Future<Long> other = nodes.submit(() -> copiedBy(second, users));
          long firstRows = first.get();
          long otherRows = other.get();
          double seconds = (System.nanoTime() - shared) / 1e9;
          figures.add(new Figure("backfill_two_nodes_rows_per_s", (firstRows + otherRows) / seconds, "rows/s"));
          figures.add(new Figure("backfill_two_nodes_node_1_rows_per_s", firstRows / seconds, "rows/s"));
          figures.add(new Figure("backfill_two_nodes_node_2_rows_per_s", otherRows / seconds, "rows/s"));
          if (!dualWrite.relay().drain(Duration.ofMinutes(10))) {
            throw new IllegalStateException("the relay did not deliver the two nodes' backfill in 10 minutes");
          }
          CountingSource firstUsers = new CountingSource(users);
          CountingSource otherUsers = new CountingSource(users);
          long verifying = System.nanoTime();
          Future<VerificationReport> firstReport = nodes.submit(() -> verifiedBy(dualWrite, firstUsers));
          Future<VerificationReport> otherReport = nodes.submit(() -> verifiedBy(second, otherUsers));
          VerificationReport report = firstReport.get();
          otherReport.get();
          double verified = (System.nanoTime() - verifying) / 1e9;
          if (!report.isClean() || report.compared() != firstUsers.rows() + otherUsers.rows()) {
            throw new IllegalStateException("the verification shared by two nodes is not clean, or its nodes scanned "
                + (firstUsers.rows() + otherUsers.rows()) + " rows: " + report.summary());
          }
          figures.add(new Figure("verify_two_nodes_rows_per_s", report.compared() / verified, "rows/s"));
          figures.add(new Figure("verify_two_nodes_node_1_rows_per_s", firstUsers.rows() / verified, "rows/s"));
          figures.add(new Figure("verify_two_nodes_node_2_rows_per_s", otherUsers.rows() / verified, "rows/s"));
        } finally {
          nodes.shutdownNow();
        }
      }
    }
    return figures;
  }

  /** Runs the verification on {@code node}, joining the other node's run. */
  private static VerificationReport verifiedBy(DualWrite node, LegacySource users) {
    return Verifier.builder(node, users).withChunkSize(1000).build().verify();
  }

  /** Runs the backfill on {@code node}; the rows this node copied. */
  private static long copiedBy(DualWrite node, LegacySource users) {
    AtomicLong copied = new AtomicLong();
    Backfill.builder(node, users).withChunkSize(5000).onProgress(p -> copied.set(p.rowsThisRun())).build().run();
    return copied.get();
  }

  private BackfillVerifyBenchmark() {}
}

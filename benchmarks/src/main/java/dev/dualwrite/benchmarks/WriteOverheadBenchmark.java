package dev.dualwrite.benchmarks;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.SessionFactory;

/**
 * {@code write_overhead_ratio}: throughput of Hibernate transactions (each inserts one mirrored entity and updates
 * another) on several threads with mirroring on ({@code DUAL_WRITE}, relay delivering at the same time) divided by
 * the same with mirroring off ({@code LEGACY_ONLY}), in alternating rounds of equal length; and
 * {@code write_overhead_ratio_capture_only}, the same without a relay running, which isolates the cost inside the
 * transaction from the relay and the service competing for the same cores.
 */
final class WriteOverheadBenchmark {
  private static final int THREADS = 4;
  private static final int USERS_PER_THREAD = 250;

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    List<Figure> figures = new java.util.ArrayList<>(measure(env, quick, true));
    Figure captureOnly = measure(env, quick, false).get(2);
    figures.add(new Figure("write_overhead_ratio_capture_only", captureOnly.value(), captureOnly.unit()));
    return figures;
  }

  /**
   * Alternating rounds with mirroring off and on. With {@code relaying}, this node's relay delivers during the "on"
   * rounds (the design's figure); without, it does not run at all, which leaves the in-transaction cost alone: the
   * outbox rows and the snapshots.
   */
  private static List<Figure> measure(BenchEnvironment env, boolean quick, boolean relaying) throws Exception {
    env.resetDualWriteTables();
    Duration round = quick ? Duration.ofMillis(500) : Duration.ofSeconds(8);
    int rounds = quick ? 2 : 6;
    try (DualWrite dualWrite = env.node(b -> relaying ? b.withTargetUrl(env.service.baseUrl()) : b);
        SessionFactory sessions = env.sessions(dualWrite)) {
      sessions.inTransaction(s -> {
        for (long id = 1; id <= (long) THREADS * USERS_PER_THREAD; id++) {
          s.persist(new BenchUser(id));
        }
      });
      AtomicLong nextId = new AtomicLong(1_000_000);
      long offTransactions = 0;
      long onTransactions = 0;
      round(sessions, nextId, Duration.ofMillis(quick ? 200 : 3000)); // warm-up
      for (int r = 0; r < rounds; r++) {
        boolean mirrored = r % 2 == 1;
        BenchEnvironment.moveTo(dualWrite, "users",
            mirrored ? MigrationPhase.DUAL_WRITE : MigrationPhase.LEGACY_ONLY);
        long done = round(sessions, nextId, round);
        if (mirrored) {
          onTransactions += done;
          if (relaying) {
            dualWrite.relay().drain(Duration.ofMinutes(2)); // outside the timed round
          }
        } else {
          offTransactions += done;
        }
      }
      double seconds = round.toMillis() / 1000.0 * rounds / 2;
      return List.of(
          new Figure("write_tx_per_s_mirroring_off", offTransactions / seconds, "tx/s"),
          new Figure("write_tx_per_s_mirroring_on", onTransactions / seconds, "tx/s"),
          new Figure("write_overhead_ratio", (double) onTransactions / offTransactions, "ratio"));
    }
  }

  private static long round(SessionFactory sessions, AtomicLong nextId, Duration length) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long end = System.nanoTime() + length.toNanos();
    try {
      List<Future<Long>> counts = new java.util.ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long firstUser = 1L + (long) t * USERS_PER_THREAD;
        counts.add(pool.submit(() -> {
          long done = 0;
          while (System.nanoTime() < end) {
            long updated = firstUser + ThreadLocalRandom.current().nextInt(USERS_PER_THREAD);
            sessions.inTransaction(s -> {
              s.persist(new BenchUser(nextId.getAndIncrement()));
              s.find(BenchUser.class, updated).rename("renamed " + System.nanoTime());
            });
            done++;
          }
          return done;
        }));
      }
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  private WriteOverheadBenchmark() {}
}

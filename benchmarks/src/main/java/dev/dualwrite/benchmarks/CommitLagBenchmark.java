package dev.dualwrite.benchmarks;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.target.HttpTargetClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.hibernate.SessionFactory;

/**
 * {@code lag_p50_ms}, {@code lag_p99_ms}: time from a transaction's commit returning to the new service acknowledging
 * its change, at a steady rate of transactions (1,000 per second), each the write benchmark's transaction: insert one
 * mirrored entity and update another, so two changes per transaction (2,000 changes per second). The lag of a
 * transaction is its inserted entity's (both changes travel in one claim: consecutive outbox rows). The relay runs
 * with the default configuration. The rate is held by scheduling transaction {@code i} at {@code start + i / rate}.
 */
final class CommitLagBenchmark {
  private static final int THREADS = 4;
  private static final int USERS_PER_THREAD = 250;
  private static final long FIRST_INSERTED = 1_000_000;

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    env.resetDualWriteTables();
    int rate = quick ? 200 : 1000;
    Duration length = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(15);
    Duration warmUp = quick ? Duration.ZERO : Duration.ofSeconds(3);
    AckClock acks = new AckClock(HttpTargetClient.builder(env.service.baseUrl()).build(), true);
    try (DualWrite dualWrite = env.node(b -> b.withTargetClient(acks));
        SessionFactory sessions = env.sessions(dualWrite)) {
      sessions.inTransaction(s -> {
        for (long id = 1; id <= (long) THREADS * USERS_PER_THREAD; id++) {
          s.persist(new BenchUser(id));
        }
      });
      dualWrite.phases().move("users", MigrationPhase.DUAL_WRITE, "benchmark", "measure lag");
      Map<String, Long> commitNanos = new ConcurrentHashMap<>();
      long total = (long) rate * (length.getSeconds() + warmUp.getSeconds());
      long measuredFrom = (long) rate * warmUp.getSeconds();
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      AtomicLong slots = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long firstUser = 1L + (long) t * USERS_PER_THREAD;
        workers.add(pool.submit(() -> {
          for (long slot = slots.getAndIncrement(); slot < total; slot = slots.getAndIncrement()) {
            long due = start + slot * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            long id = FIRST_INSERTED + slot;
            long updated = firstUser + ThreadLocalRandom.current().nextInt(USERS_PER_THREAD);
            sessions.inTransaction(s -> {
              s.persist(new BenchUser(id));
              s.find(BenchUser.class, updated).rename("renamed " + System.nanoTime());
            });
            if (slot >= measuredFrom) {
              commitNanos.put(Long.toString(id), System.nanoTime());
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      pool.shutdown();
      dualWrite.relay().drain(Duration.ofMinutes(1));
      double achievedRate = (total - measuredFrom) / ((System.nanoTime() - start) / 1e9 - warmUp.getSeconds());

      List<Long> lags = new ArrayList<>(commitNanos.size());
      commitNanos.forEach((id, committed) -> {
        Long acked = acks.ackNanos.get(id);
        if (acked != null) {
          lags.add(Math.max(0, acked - committed));
        }
      });
      lags.sort(null);
      return List.of(
          new Figure("lag_rate_tx_per_s", Math.min(rate, achievedRate), "tx/s"),
          new Figure("lag_changes_per_s", 2 * Math.min(rate, achievedRate), "changes/s"),
          new Figure("lag_p50_ms", percentile(lags, 0.50) / 1e6, "ms"),
          new Figure("lag_p99_ms", percentile(lags, 0.99) / 1e6, "ms"));
    }
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private CommitLagBenchmark() {}
}

package dev.dualwrite.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.DualWrite;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.phase.MigrationPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hibernate.SessionFactory;

/**
 * The cutover's figures, on the same PostgreSQL and loopback service as the others:
 * <ul>
 *   <li>{@code write_through_added_p50_ms} and {@code write_through_added_p99_ms}: what writing through to the new
 *       service before the commit adds to a monolith transaction that updates one mirrored entity, measured on one
 *       thread in interleaved rounds of {@code DUAL_WRITE} (relay after the commit) and {@code NEW_WRITES}
 *       (write-through), as the difference of the two rounds' percentiles (0 when noise makes it negative);
 *   <li>{@code reverse_sync_changes_per_s}: how fast one node applies the new service's own writes (new users) to
 *       legacy, from the first write through the service's API until the reverse sync has applied the last.
 * </ul>
 */
final class CutoverBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    List<Figure> figures = new ArrayList<>(writeThrough(env, quick));
    figures.add(reverseSync(env, quick));
    return figures;
  }

  private static List<Figure> writeThrough(BenchEnvironment env, boolean quick) throws Exception {
    env.resetDualWriteTables();
    int users = quick ? 50 : 500;
    int rounds = quick ? 2 : 8;
    List<Long> mirrored = new ArrayList<>();
    List<Long> writtenThrough = new ArrayList<>();
    try (DualWrite dualWrite = env.node(b -> b.withTargetUrl(env.service.baseUrl()));
        SessionFactory sessions = env.sessions(dualWrite)) {
      BenchEnvironment.moveTo(dualWrite, "users", MigrationPhase.DUAL_WRITE);
      for (long id = 1; id <= users; id++) {
        long user = id;
        sessions.inTransaction(s -> s.persist(new BenchUser(user)));
      }
      dualWrite.relay().drain(Duration.ofMinutes(1));
      for (int round = 0; round < rounds; round++) {
        for (MigrationPhase phase : List.of(MigrationPhase.DUAL_WRITE, MigrationPhase.NEW_WRITES)) {
          BenchEnvironment.moveTo(dualWrite, "users", phase);
          List<Long> into = phase == MigrationPhase.NEW_WRITES ? writtenThrough : mirrored;
          for (long id = 1; id <= users; id++) {
            long user = id;
            int n = round;
            long start = System.nanoTime();
            sessions.inTransaction(s -> s.find(BenchUser.class, user).rename("round " + n + " " + phase));
            into.add(System.nanoTime() - start);
          }
          dualWrite.relay().drain(Duration.ofMinutes(1));
        }
      }
    }
    mirrored.sort(null);
    writtenThrough.sort(null);
    return List.of(
        new Figure("write_through_tx_p50_ms", percentile(writtenThrough, 0.50) / 1e6, "ms"),
        new Figure("write_through_tx_p99_ms", percentile(writtenThrough, 0.99) / 1e6, "ms"),
        new Figure("mirrored_tx_p50_ms", percentile(mirrored, 0.50) / 1e6, "ms"),
        new Figure("mirrored_tx_p99_ms", percentile(mirrored, 0.99) / 1e6, "ms"),
        // as shadow_added_p99_ms: what is added cannot be below zero; a negative difference is the machine's noise
        new Figure("write_through_added_p50_ms",
            Math.max(0, percentile(writtenThrough, 0.50) - percentile(mirrored, 0.50)) / 1e6, "ms"),
        new Figure("write_through_added_p99_ms",
            Math.max(0, percentile(writtenThrough, 0.99) - percentile(mirrored, 0.99)) / 1e6, "ms"));
  }

  private static Figure reverseSync(BenchEnvironment env, boolean quick) throws Exception {
    env.resetDualWriteTables();
    int changes = quick ? 200 : 50_000;
    try (DualWrite dualWrite = env.node(b -> b.withTargetUrl(env.service.baseUrl()));
        SessionFactory sessions = env.sessions(dualWrite)) {
      BenchEnvironment.moveTo(dualWrite, "users", MigrationPhase.NEW_WRITES);
      while (!dualWrite.reverseSync().status("users").started()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      long start = System.nanoTime();
      String createdAt = Instant.now().toString();
      for (int i = 1; i <= changes; i++) {
        ObjectNode user = JSON.createObjectNode().put("id", i).put("version", 0).put("name", "user " + i)
            .put("email", "user" + i + "@example.com").put("score", 0).put("createdAt", createdAt);
        env.service.writeThroughOwnApi("users", Long.toString(i), user);
      }
      double writing = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      ReverseSyncStatus status = dualWrite.reverseSync().status("users");
      while (status.applied() + status.skipped() + status.failed() < changes) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the reverse sync did not apply " + changes + " changes in 10 minutes: "
              + status);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        status = dualWrite.reverseSync().status("users");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (status.failed() > 0) {
        throw new IllegalStateException("legacy refused " + status.failed() + " of the service's changes: " + status);
      }
      System.out.println("# reverse sync: the service's API took " + Math.round(writing * 1000) + " ms to write "
          + changes + " changes; legacy had them all after " + Math.round(seconds * 1000) + " ms");
      return new Figure("reverse_sync_changes_per_s", changes / seconds, "changes/s");
    }
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private CutoverBenchmark() {}
}

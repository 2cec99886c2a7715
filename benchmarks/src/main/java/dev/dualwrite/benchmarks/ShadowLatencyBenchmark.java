package dev.dualwrite.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.read.ByIdReader;
import dev.dualwrite.read.ReadRouter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code shadow_added_p99_ms}: the caller's p99 read latency with shadow reads on ({@code SHADOW_READS}, every read
 * sampled) minus off ({@code DUAL_WRITE}), against a new service that answers slowly (20 ms) while legacy answers from
 * PostgreSQL. Rounds alternate; the shadow side runs on the router's bounded executor and is dropped when it is full.
 */
final class ShadowLatencyBenchmark {
  private static final int USERS = 500;

  /** What a read returns, from either store. */
  public record UserView(long id, String name, String email) {}

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    env.resetDualWriteTables();
    Sql.execute(env.dataSource, "DROP TABLE IF EXISTS bench_profiles",
        "CREATE TABLE bench_profiles (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))");
    ObjectMapper json = new ObjectMapper();
    for (long id = 1; id <= USERS; id++) {
      Sql.execute(env.dataSource, "INSERT INTO bench_profiles VALUES (" + id + ", 'user " + id + "', 'user" + id
          + "@example.com')");
      env.service.plant("users", Long.toString(id), 1,
          json.valueToTree(Map.of("id", id, "name", "user " + id, "email", "user" + id + "@example.com")));
    }
    env.service.respondSlowly(Duration.ofMillis(20));
    int reads = quick ? 200 : 5_000;
    int rounds = quick ? 2 : 6;
    try (DualWrite dualWrite = env.node(b -> b.withTargetUrl(env.service.baseUrl()).withEntity(
            dev.dualwrite.EntityMigration.builder("profiles").withResource("users").withShadowSampleRate(1).build()));
        ReadRouter router = ReadRouter.builder(dualWrite, "profiles").build()) {
      ByIdReader<Long, UserView> byId = router.byId(UserView.class, id -> load(env, id));
      BenchEnvironment.moveTo(dualWrite, "profiles", MigrationPhase.DUAL_WRITE);
      measure(byId, reads); // warm-up
      List<Long> off = new ArrayList<>();
      List<Long> on = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        boolean shadow = r % 2 == 1;
        BenchEnvironment.moveTo(dualWrite, "profiles",
            shadow ? MigrationPhase.SHADOW_READS : MigrationPhase.DUAL_WRITE);
        (shadow ? on : off).addAll(measure(byId, reads));
      }
      double p99Off = percentile(off, 0.99) / 1e6;
      double p99On = percentile(on, 0.99) / 1e6;
      return List.of(
          new Figure("read_p99_ms_shadow_off", p99Off, "ms"),
          new Figure("read_p99_ms_shadow_on", p99On, "ms"),
          new Figure("shadow_added_p99_ms", Math.max(0, p99On - p99Off), "ms"),
          new Figure("shadow_reads_compared", router.stats().compared().count(), "reads"),
          new Figure("shadow_reads_dropped", router.stats().dropped(), "reads"));
    } finally {
      env.service.respondSlowly(Duration.ZERO);
    }
  }

  private static List<Long> measure(ByIdReader<Long, UserView> byId, int reads) {
    List<Long> latencies = new ArrayList<>(reads);
    for (int i = 0; i < reads; i++) {
      long id = 1 + i % USERS;
      long start = System.nanoTime();
      byId.get(id).orElseThrow();
      latencies.add(System.nanoTime() - start);
    }
    return latencies;
  }

  private static UserView load(BenchEnvironment env, long id) {
    try (Connection c = env.dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id, name, email FROM bench_profiles WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new UserView(rs.getLong(1), rs.getString(2), rs.getString(3)) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private ShadowLatencyBenchmark() {}
}

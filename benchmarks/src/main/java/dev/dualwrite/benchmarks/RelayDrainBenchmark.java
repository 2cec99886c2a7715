package dev.dualwrite.benchmarks;

import dev.dualwrite.DualWrite;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.HttpTargetClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code relay_drain_rows_per_s}: one node's relay draining a backlog of 100,000 committed changes to a loopback
 * service, from the relay's start to the last acknowledgement, with the relay's default configuration.
 */
final class RelayDrainBenchmark {

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    env.resetDualWriteTables();
    int rows = quick ? 2_000 : 100_000;
    // the backlog is appended through a node whose relay is off, so that the measured node starts on all of it
    try (DualWrite filler = env.node(b -> b.withRelay(RelayConfig.builder().withEnabled(false).build()));
        Connection connection = env.dataSource.getConnection()) {
      connection.setAutoCommit(false);
      for (int from = 1; from <= rows; from += 1000) {
        List<Change> changes = new ArrayList<>(1000);
        for (int id = from; id < from + 1000 && id <= rows; id++) {
          changes.add(Change.of("users", "users", Integer.toString(id), ChangeOperation.UPSERT,
              "{\"id\":" + id + ",\"name\":\"user " + id + "\",\"email\":\"user" + id
                  + "@example.com\",\"score\":" + id % 100 + ",\"createdAt\":\"2026-11-23T10:00:00Z\"}",
              ChangeOrigin.LIVE));
        }
        filler.outbox().append(connection, changes);
        connection.commit();
      }
    }
    AckClock acks = new AckClock(HttpTargetClient.builder(env.service.baseUrl()).build(), false);
    long start = System.nanoTime();
    try (DualWrite node = env.node(b -> b.withTargetClient(acks))) {
      while (acks.acknowledged.get() < rows) {
        LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return List.of(new Figure("relay_drain_rows_per_s", rows / seconds, "rows/s"));
    }
  }

  private RelayDrainBenchmark() {}
}

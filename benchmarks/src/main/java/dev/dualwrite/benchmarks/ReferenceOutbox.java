package dev.dualwrite.benchmarks;

import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The physical reference the write figures are compared with: the plainest transactional outbox there is. The
 * application's transaction adds one plain {@code INSERT} of its changes into {@code bench_reference_outbox} (a row
 * per change, a primary key and no other index); one relay thread locks the oldest rows ({@code FOR UPDATE SKIP
 * LOCKED}), sends them to the same service with the same HTTP client, then {@code DELETE}s them and commits. No
 * lease, no retries, no dead letters, no delivered log: only what delivery itself must write. Woken after each commit,
 * like dualwrite's relay, and every 500 ms otherwise.
 */
final class ReferenceOutbox implements AutoCloseable {
  static final String TABLE = "bench_reference_outbox";
  private static final int BATCH = 500;
  private static final String INSERT = "INSERT INTO bench_reference_outbox (entity, resource, entity_id, operation,"
      + " payload, created_at) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)";
  private static final String CLAIM = "SELECT id, entity, resource, entity_id, operation, payload, created_at"
      + " FROM bench_reference_outbox ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";

  private final DataSource dataSource;
  private final TargetClient client;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final Thread relay;

  private ReferenceOutbox(DataSource dataSource, String serviceUrl, boolean relaying) {
    this.dataSource = dataSource;
    this.client = HttpTargetClient.builder(serviceUrl).build();
    this.relay = relaying ? new Thread(this::run, "reference-relay") : null;
    if (relay != null) {
      relay.setDaemon(true);
      relay.start();
    }
  }

  /** Creates the table anew and starts the relay when {@code relaying}. */
  static ReferenceOutbox start(DataSource dataSource, String serviceUrl, boolean relaying) {
    Sql.execute(dataSource, "DROP TABLE IF EXISTS " + TABLE,
        "CREATE TABLE " + TABLE + " (id BIGSERIAL PRIMARY KEY, entity VARCHAR(200) NOT NULL,"
            + " resource VARCHAR(200) NOT NULL, entity_id VARCHAR(200) NOT NULL, operation VARCHAR(8) NOT NULL,"
            + " payload TEXT, created_at TIMESTAMP WITH TIME ZONE NOT NULL)");
    return new ReferenceOutbox(dataSource, serviceUrl, relaying);
  }

  /** The one plain insert, in the application's transaction on {@code connection}: one row per changed user. */
  static void insert(Connection connection, BenchUser inserted, BenchUser updated) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      Timestamp now = Timestamp.from(Instant.now());
      int i = 1;
      for (BenchUser user : List.of(inserted, updated)) {
        statement.setString(i++, "users");
        statement.setString(i++, "users_reference"); // a resource of its own at the service: its own versions
        statement.setString(i++, Long.toString(user.id()));
        statement.setString(i++, "UPSERT");
        statement.setString(i++, user.json());
        statement.setTimestamp(i++, now);
      }
      statement.executeUpdate();
    }
  }

  /** Wakes the relay: a commit added rows. */
  void nudge() {
    if (relay != null) {
      nudged.set(true);
      LockSupport.unpark(relay);
    }
  }

  long undelivered() {
    return Sql.count(dataSource, "SELECT COUNT(*) FROM " + TABLE);
  }

  /** Waits until the relay has delivered every row. */
  void drain() {
    while (undelivered() > 0) {
      nudge();
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  /** Deletes the rows a capture-only round left (outside any timed window). */
  void empty() {
    Sql.execute(dataSource, "TRUNCATE " + TABLE);
  }

  private void run() {
    while (running.get()) {
      int sent;
      try {
        sent = deliverOnce();
      } catch (SQLException | RuntimeException e) {
        System.err.println("reference relay: " + e);
        sent = 0;
      }
      if (sent < BATCH && !nudged.getAndSet(false)) {
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      }
    }
  }

  private int deliverOnce() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<OutboxEntry> batch = new ArrayList<>();
        try (PreparedStatement claim = connection.prepareStatement(CLAIM);
            ResultSet rs = claim.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            batch.add(new OutboxEntry(id, rs.getString(2), rs.getString(3), rs.getString(4),
                ChangeOperation.valueOf(rs.getString(5)), id, "ref-" + id, rs.getString(6), 0,
                rs.getTimestamp(7).toInstant()));
          }
        }
        if (!batch.isEmpty()) {
          client.deliver(batch);
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM bench_reference_outbox WHERE id = ANY (?)")) {
            Array ids = connection.createArrayOf("bigint", batch.stream().map(OutboxEntry::id).toArray());
            delete.setArray(1, ids);
            delete.executeUpdate();
          }
        }
        connection.commit();
        return batch.size();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    if (relay != null) {
      LockSupport.unpark(relay);
      relay.join(Duration.ofSeconds(30).toMillis());
    }
    client.close();
  }
}

package dev.dualwrite.storage.internal;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.DeliveryPause;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.internal.DeliveryQueue;
import dev.dualwrite.relay.internal.DeliveryQueue.FailedAttempt;
import dev.dualwrite.trace.Traceparent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The table {@code dualwrite_outbox}, as the relay's queue (append, claim, mark, release, purge) and as the operator's
 * view (backlog, dead letters, undelivered changes per key): the node's {@link Outbox} and the relay's
 * {@link DeliveryQueue}.
 *
 * <p>Claiming selects due {@code PENDING} rows in id order with {@code FOR UPDATE SKIP LOCKED} (plain
 * {@code FOR UPDATE} on H2), then leases them in the same short transaction by setting {@code lease_owner} and pushing
 * {@code next_attempt_at} to the end of the lease; on PostgreSQL both happen in one {@code UPDATE ... RETURNING} (see
 * {@link StorageDialect}). Other relays skip the locked rows while the claim runs and the leased rows afterwards; a
 * relay that dies leaves its rows due again when the lease ends. Claims run at READ COMMITTED so that, on InnoDB, they
 * take no gap locks that would hold up the application's inserts.
 *
 * <p>The relay's methods throw {@link SQLException}; the operator's throw {@link DualWriteStorageException}. Thread-safe.
 */
public final class OutboxTable implements Outbox, DeliveryQueue {
  private static final String TABLE = "dualwrite_outbox";
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboxTable.class);
  private static final long PAUSE_REFRESH_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
  private static final String PENDING = "PENDING";
  private static final String DELIVERED = "DELIVERED";
  private static final String DEAD = "DEAD";

  private static final String INSERT =
      "INSERT INTO dualwrite_outbox (entity, resource, entity_id, operation, idempotency_key, payload, origin, status,"
          + " attempts, created_at, next_attempt_at, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)";
  private static final String INSERT_HEAD =
      "INSERT INTO dualwrite_outbox (entity, resource, entity_id, operation, idempotency_key, payload, origin, status,"
          + " attempts, created_at, next_attempt_at, traceparent) VALUES ";
  private static final int APPEND_ROWS_PER_STATEMENT = 500;
  /** What the idempotency-key column holds for a key derived from the row id ({@link #idempotencyKey}). */
  private static final String DERIVED_KEY = "";
  private static final String COLUMNS =
      "id, entity, resource, entity_id, operation, idempotency_key, payload, attempts, created_at, traceparent";
  private static final String SELECT_DUE_HEAD =
      "SELECT " + COLUMNS + " FROM dualwrite_outbox WHERE status = 'PENDING' AND next_attempt_at <= ?";
  private static final String SELECT_DUE_TAIL = " ORDER BY id LIMIT ?";
  /**
   * PostgreSQL's select of due rows for a held claim, which also sets {@code idle_in_transaction_session_timeout} for
   * the claiming transaction (to the lease) in the same round trip.
   */
  private static final String SELECT_DUE_BOUNDED_HEAD = "SELECT " + COLUMNS + " FROM dualwrite_outbox CROSS JOIN"
      + " (SELECT set_config('idle_in_transaction_session_timeout', ?, true) AS lease) AS claim_lease"
      + " WHERE status = 'PENDING' AND next_attempt_at <= ?";
  private static final String CLAIM_RETURNING =
      "UPDATE dualwrite_outbox SET lease_owner = ?, next_attempt_at = ? WHERE id IN (SELECT id FROM dualwrite_outbox"
          + " WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " RETURNING " + COLUMNS;
  private static final String BACKLOG =
      "SELECT entity, status, COUNT(*) AS n, MIN(created_at) AS oldest FROM dualwrite_outbox"
          + " WHERE status IN ('PENDING', 'DEAD') GROUP BY entity, status";
  private static final String HAS_PENDING =
      "SELECT 1 FROM dualwrite_outbox WHERE status IN ('PENDING', 'DEAD') AND entity = ? AND entity_id = ?";
  private static final String NEWEST_PENDING = "SELECT entity_id, MAX(id) FROM dualwrite_outbox WHERE status = 'PENDING'"
      + " AND entity = ? AND entity_id IN ";
  private static final String PENDING_THROUGH = "SELECT DISTINCT entity_id FROM dualwrite_outbox WHERE status = 'PENDING'"
      + " AND entity = ? AND id <= ? AND entity_id IN ";
  private static final String STATES = "SELECT id, status, last_status FROM dualwrite_outbox WHERE id IN ";
  private static final String DEAD_LETTERS =
      "SELECT id, entity, entity_id, operation, attempts, last_status, last_error, created_at"
          + " FROM dualwrite_outbox WHERE status = 'DEAD' AND entity = ? ORDER BY id LIMIT ?";
  private static final String RETRY_ONE =
      "UPDATE dualwrite_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, lease_owner = NULL"
          + " WHERE id = ? AND status = 'DEAD'";
  private static final String RETRY_ENTITY =
      "UPDATE dualwrite_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, lease_owner = NULL"
          + " WHERE entity = ? AND status = 'DEAD'";
  private static final String DISCARD_ONE = "DELETE FROM dualwrite_outbox WHERE id = ? AND status = 'DEAD'";
  private static final String MARK_FAILED =
      "UPDATE dualwrite_outbox SET attempts = ?, next_attempt_at = ?, lease_owner = NULL, last_status = ?,"
          + " last_error = ? WHERE id = ?";
  private static final String MARK_DEAD =
      "UPDATE dualwrite_outbox SET status = 'DEAD', attempts = ?, lease_owner = NULL, last_status = ?,"
          + " last_error = ? WHERE id = ?";

  private final DataSource dataSource;
  private final StorageDialect dialect;
  private final Clock clock;

  private final DatabaseDialect databaseDialect;
  private final DeliveryPauseTable pauses;
  private volatile PausedSnapshot paused = new PausedSnapshot(Set.of(), Long.MIN_VALUE);

  /** The paused entities as last read, and when ({@link System#nanoTime}). */
  private record PausedSnapshot(Set<String> entities, long readAtNanos) {}

  public OutboxTable(DataSource dataSource, DatabaseDialect dialect, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.databaseDialect = Objects.requireNonNull(dialect, "dialect");
    this.dialect = StorageDialect.of(dialect);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pauses = new DeliveryPauseTable(dataSource, clock);
  }

  @Override
  public boolean pauseDelivery(String entity, String actor, String reason) {
    requireName(entity, "entity");
    requireName(actor, "actor");
    boolean paused = pauses.pause(entity, actor, reason);
    this.paused = new PausedSnapshot(Set.of(), Long.MIN_VALUE); // read again at the next claim
    return paused;
  }

  @Override
  public boolean resumeDelivery(String entity) {
    requireName(entity, "entity");
    boolean resumed = pauses.resume(entity);
    this.paused = new PausedSnapshot(Set.of(), Long.MIN_VALUE);
    return resumed;
  }

  @Override
  public List<DeliveryPause> pausedDeliveries() {
    return pauses.paused();
  }

  /**
   * The entities whose delivery is paused, read from the table at most once a second (and at once after this outbox
   * paused or resumed one); for the relay, before each claim. When the table cannot be read, the last set read is
   * kept and the failure logged.
   */
  public Set<String> pausedEntities() {
    PausedSnapshot snapshot = paused;
    long now = System.nanoTime();
    if (snapshot.readAtNanos() != Long.MIN_VALUE && now - snapshot.readAtNanos() < PAUSE_REFRESH_NANOS) {
      return snapshot.entities();
    }
    Set<String> entities;
    try {
      entities = pauses.paused().stream().map(DeliveryPause::entity).collect(java.util.stream.Collectors.toUnmodifiableSet());
    } catch (DualWriteStorageException e) {
      log.warn("dualwrite: cannot read which deliveries are paused, keeping {}: {}", snapshot.entities(),
          e.getMessage());
      entities = snapshot.entities();
    }
    paused = new PausedSnapshot(entities, now);
    return entities;
  }

  private static void requireName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is blank; give the " + what + "'s name");
    }
  }

  /**
   * Appends {@code changes} on {@code connection}, in the caller's transaction. On PostgreSQL one multi-row
   * {@code INSERT ... RETURNING id} per 500 changes (one round trip, whatever the driver's batch settings); elsewhere
   * one JDBC batch whose generated keys come back. The row ids become the changes' versions.
   */
  @Override
  public List<Change> append(Connection connection, List<Change> changes) throws SQLException {
    return append(connection, changes, null);
  }

  /**
   * {@link #append(Connection, List)}, each row with {@code traceparent}: the trace context of the appending
   * transaction, sent with the changes' delivery; {@code null} stores none.
   */
  public List<Change> append(Connection connection, List<Change> changes, Traceparent traceparent)
      throws SQLException {
    if (changes.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    String trace = traceparent == null ? null : traceparent.toString();
    if (dialect.claimsInOneStatement()) {
      List<Change> appended = new ArrayList<>(changes.size());
      for (int from = 0; from < changes.size(); from += APPEND_ROWS_PER_STATEMENT) {
        appendInOneStatement(connection, changes.subList(from,
            Math.min(changes.size(), from + APPEND_ROWS_PER_STATEMENT)), now, trace, appended);
      }
      return appended;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {databaseDialect.identifier("id")})) {
      for (Change change : changes) {
        insert.setString(1, change.entity());
        insert.setString(2, change.resource());
        insert.setString(3, change.entityId());
        insert.setString(4, change.operation().name());
        insert.setString(5, DERIVED_KEY);
        insert.setString(6, change.payload());
        insert.setString(7, change.origin().name());
        Jdbc.setInstant(insert, 8, now);
        Jdbc.setInstant(insert, 9, now);
        insert.setString(10, trace);
        insert.addBatch();
      }
      insert.executeBatch();
      List<Change> appended = new ArrayList<>(changes.size());
      try (ResultSet keys = insert.getGeneratedKeys()) {
        for (Change change : changes) {
          if (!keys.next()) {
            throw new SQLException("the database returned " + appended.size() + " generated ids for "
                + changes.size() + " outbox rows");
          }
          appended.add(change.withVersion(keys.getLong(1)));
        }
      }
      return appended;
    }
  }

  /**
   * Makes every change appended from now on take a version above {@code version}, on a connection of its own: the
   * reverse sync calls it before it applies a version the new service's own API gave, which may be above the change
   * sequence, so that the monolith's next writes of that id (in {@code NEW_WRITES}, or after a step back) are newer.
   * Raises the id sequence, never lowers it: on PostgreSQL {@code setval} under a table lock that holds inserts for
   * that moment, on MariaDB/MySQL a placeholder row at {@code version} that is deleted again (InnoDB's counter only
   * grows), on H2 (demos) {@code ALTER TABLE ... RESTART}.
   */
  public void raiseVersionsAbove(long version) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        switch (dialect) {
          case POSTGRESQL -> {
            if (scalar(c, "SELECT last_value FROM dualwrite_outbox_id_seq") < version) {
              try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE dualwrite_outbox IN SHARE ROW EXCLUSIVE MODE");
              }
              try (PreparedStatement s = c.prepareStatement(
                  "SELECT setval('dualwrite_outbox_id_seq', GREATEST(last_value, ?)) FROM dualwrite_outbox_id_seq")) {
                s.setLong(1, version);
                s.executeQuery().close();
              }
            }
          }
          case MYSQL -> {
            if (scalar(c, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'dualwrite_outbox'") <= version) {
              try (PreparedStatement insert = c.prepareStatement("INSERT INTO dualwrite_outbox (id, entity, resource,"
                  + " entity_id, operation, idempotency_key, payload, origin, status, attempts, created_at,"
                  + " next_attempt_at) VALUES (?, '-', '-', '-', 'DELETE', '-', NULL, 'LIVE', 'DELIVERED', 0, ?, ?)");
                  PreparedStatement delete = c.prepareStatement("DELETE FROM dualwrite_outbox WHERE id = ?")) {
                Instant now = clock.instant();
                insert.setLong(1, version);
                Jdbc.setInstant(insert, 2, now);
                Jdbc.setInstant(insert, 3, now);
                insert.executeUpdate();
                delete.setLong(1, version);
                delete.executeUpdate();
              } catch (SQLException e) {
                if (!Jdbc.isConstraintViolation(e)) {
                  throw e; // a row with that id exists: the counter is past it already
                }
              }
            }
          }
          case H2 -> {
            // IDENTITY_BASE: the value the identity hands out next
            if (scalar(c, "SELECT IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'DUALWRITE_OUTBOX'"
                + " AND COLUMN_NAME = 'ID' AND TABLE_SCHEMA = SCHEMA()") <= version) {
              try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE dualwrite_outbox ALTER COLUMN id RESTART WITH " + (version + 1));
              }
            }
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Takes one version from the change sequence without appending a change, on a connection of its own: the version of
   * a backfill chunk delivered straight to the new service. Taken while the chunk's shared row locks are held, it is
   * above every change the chunk's snapshots include and below every change they do not, as an appended row's id
   * would be. On PostgreSQL {@code nextval}; on MariaDB/MySQL and H2 a placeholder row, deleted again, whose id the
   * table's counter hands out (the counter never goes back).
   */
  public long reserveVersion() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (dialect == StorageDialect.POSTGRESQL) {
        return scalar(c, "SELECT nextval('dualwrite_outbox_id_seq')");
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO dualwrite_outbox (entity, resource, entity_id,"
              + " operation, idempotency_key, payload, origin, status, attempts, created_at, next_attempt_at)"
              + " VALUES ('-', '-', '-', 'DELETE', '-', NULL, 'BACKFILL', 'DELIVERED', 0, ?, ?)",
          Statement.RETURN_GENERATED_KEYS);
          PreparedStatement delete = c.prepareStatement("DELETE FROM dualwrite_outbox WHERE id = ?")) {
        Instant now = clock.instant();
        Jdbc.setInstant(insert, 1, now);
        Jdbc.setInstant(insert, 2, now);
        insert.executeUpdate();
        long version;
        try (ResultSet keys = insert.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("the database returned no generated id for a placeholder row of dualwrite_outbox");
          }
          version = keys.getLong(1);
        }
        delete.setLong(1, version);
        delete.executeUpdate();
        c.commit();
        return version;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * One {@code INSERT ... VALUES (...), (...) RETURNING id}. The ids come from the sequence in the order of the rows
   * in {@code VALUES}, so sorted they match the changes in order (RETURNING itself promises no order).
   */
  private static void appendInOneStatement(Connection connection, List<Change> changes, Instant now, String trace,
      List<Change> appended) throws SQLException {
    String sql = INSERT_HEAD + (",(?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)").repeat(changes.size()).substring(1)
        + " RETURNING id";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      int i = 1;
      for (Change change : changes) {
        insert.setString(i++, change.entity());
        insert.setString(i++, change.resource());
        insert.setString(i++, change.entityId());
        insert.setString(i++, change.operation().name());
        insert.setString(i++, DERIVED_KEY);
        insert.setString(i++, change.payload());
        insert.setString(i++, change.origin().name());
        Jdbc.setInstant(insert, i++, now);
        Jdbc.setInstant(insert, i++, now);
        insert.setString(i++, trace);
      }
      long[] ids = new long[changes.size()];
      int n = 0;
      try (ResultSet keys = insert.executeQuery()) {
        while (keys.next()) {
          if (n == ids.length) {
            throw new SQLException("the database returned more ids than the " + changes.size() + " outbox rows");
          }
          ids[n++] = keys.getLong(1);
        }
      }
      if (n != ids.length) {
        throw new SQLException("the database returned " + n + " ids for " + changes.size() + " outbox rows");
      }
      java.util.Arrays.sort(ids);
      for (int k = 0; k < ids.length; k++) {
        appended.add(changes.get(k).withVersion(ids[k]));
      }
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Claims up to {@code max} due changes for {@code owner} until {@code leaseUntil}, oldest first.
   *
   * @return the claimed changes, in id order
   */
  @Override
  public List<OutboxEntry> claim(int max, Instant leaseUntil, String owner) throws SQLException {
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection()) {
      return dialect.claimsInOneStatement() ? claimInOneStatement(connection, max, now, leaseUntil, owner)
          : selectThenLease(connection, max, now, leaseUntil, owner);
    }
  }

  /** PostgreSQL: select, lock and lease in one round trip (its default isolation is already READ COMMITTED). */
  private List<OutboxEntry> claimInOneStatement(
      Connection connection, int max, Instant now, Instant leaseUntil, String owner) throws SQLException {
    connection.setAutoCommit(true);
    try (PreparedStatement statement = connection.prepareStatement(CLAIM_RETURNING)) {
      statement.setString(1, owner);
      Jdbc.setInstant(statement, 2, leaseUntil);
      Jdbc.setInstant(statement, 3, now);
      statement.setInt(4, max);
      List<OutboxEntry> claimed = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          claimed.add(entry(rs));
        }
      }
      claimed.sort(java.util.Comparator.comparingLong(OutboxEntry::id)); // RETURNING has no order
      return claimed;
    }
  }

  /** MariaDB/MySQL and H2: select with row locks, then lease, in one transaction at READ COMMITTED. */
  private List<OutboxEntry> selectThenLease(
      Connection connection, int max, Instant now, Instant leaseUntil, String owner) throws SQLException {
    int isolation = connection.getTransactionIsolation();
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    try {
      return Jdbc.inTransaction(connection, c -> lockThenLease(c, max, now, leaseUntil, owner, Set.of()));
    } finally {
      connection.setTransactionIsolation(isolation);
    }
  }

  private List<OutboxEntry> lockThenLease(Connection connection, int max, Instant now, Instant leaseUntil, String owner,
      Set<String> paused) throws SQLException {
    String select = SELECT_DUE_HEAD + notIn(paused) + SELECT_DUE_TAIL + dialect.lockDue();
    List<OutboxEntry> claimed = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(select)) {
      int index = 1;
      Jdbc.setInstant(statement, index++, now);
      for (String entity : paused) {
        statement.setString(index++, entity);
      }
      statement.setInt(index, max);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          claimed.add(entry(rs));
        }
      }
    }
    if (!claimed.isEmpty()) {
      updateByIds(connection, "UPDATE dualwrite_outbox SET lease_owner = ?, next_attempt_at = ? WHERE id IN ",
          claimed.stream().map(OutboxEntry::id).toList(), s -> {
            s.setString(1, owner);
            Jdbc.setInstant(s, 2, leaseUntil);
            return 3;
          });
    }
    return claimed;
  }

  /**
   * Claims up to {@code max} due changes of entities not in {@code paused} by locking their rows: on PostgreSQL and
   * MariaDB/MySQL a transaction (READ COMMITTED) selects them {@code FOR UPDATE SKIP LOCKED} and stays open while the
   * relay delivers them; settling the batch deletes the delivered rows (or marks them delivered when kept) and records
   * the failed attempts in that transaction, then commits. Claiming writes nothing, and a relay that dies (or whose
   * connection breaks) rolls back, which makes its rows claimable again at once. On PostgreSQL the transaction may
   * stay idle, waiting for the service, no longer than the lease ({@code idle_in_transaction_session_timeout}); then
   * the server ends it and the rows are claimed again. H2 has no {@code SKIP LOCKED}: there the rows are leased as
   * {@link #claim} does.
   */
  @Override
  public HeldBatch hold(int max, Instant leaseUntil, String owner, Set<String> paused) throws SQLException {
    Instant now = clock.instant();
    if (!dialect.holdsLocks()) {
      List<OutboxEntry> claimed;
      try (Connection connection = dataSource.getConnection()) {
        int isolation = connection.getTransactionIsolation();
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
          claimed = Jdbc.inTransaction(connection, c -> lockThenLease(c, max, now, leaseUntil, owner, paused));
        } finally {
          connection.setTransactionIsolation(isolation);
        }
      }
      return new LeasedBatch(claimed);
    }
    Connection connection = dataSource.getConnection();
    try {
      // PostgreSQL runs at READ COMMITTED unless told otherwise (and asking costs a round trip): as claim() does
      int isolation = dialect.claimsInOneStatement() ? Connection.TRANSACTION_READ_COMMITTED
          : connection.getTransactionIsolation();
      connection.setAutoCommit(false);
      if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      boolean bounded = dialect.claimsInOneStatement(); // PostgreSQL: the lease bounds the idle transaction
      String select = bounded
          ? SELECT_DUE_BOUNDED_HEAD + notIn(paused) + SELECT_DUE_TAIL + " FOR UPDATE OF dualwrite_outbox SKIP LOCKED"
          : SELECT_DUE_HEAD + notIn(paused) + SELECT_DUE_TAIL + dialect.lockDue();
      List<OutboxEntry> claimed = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(select)) {
        int index = 1;
        if (bounded) {
          statement.setString(index++, Math.max(1, Duration.between(now, leaseUntil).toMillis()) + "ms");
        }
        Jdbc.setInstant(statement, index++, now);
        for (String entity : paused) {
          statement.setString(index++, entity);
        }
        statement.setInt(index, max);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            claimed.add(entry(rs));
          }
        }
      }
      return new LockedBatch(connection, isolation, claimed);
    } catch (SQLException | RuntimeException e) {
      rollbackAndClose(connection, Connection.TRANSACTION_READ_COMMITTED);
      throw e;
    }
  }

  private static String notIn(Set<String> paused) {
    return paused.isEmpty() ? "" : " AND entity NOT IN " + inList(paused.size());
  }

  /** Rows locked in an open transaction on {@code connection}: settled and committed, or rolled back on close. */
  private final class LockedBatch implements HeldBatch {
    private final Connection connection;
    private final int isolation;
    private final List<OutboxEntry> entries;
    private boolean open = true;

    LockedBatch(Connection connection, int isolation, List<OutboxEntry> entries) {
      this.connection = connection;
      this.isolation = isolation;
      this.entries = entries;
    }

    @Override
    public List<OutboxEntry> entries() {
      return entries;
    }

    @Override
    public void complete(Collection<Long> delivered, boolean keep, List<FailedAttempt> failed) throws SQLException {
      if (!delivered.isEmpty()) {
        if (keep) {
          Instant now = clock.instant();
          updateByIds(connection,
              "UPDATE dualwrite_outbox SET status = 'DELIVERED', delivered_at = ?, lease_owner = NULL WHERE id IN ",
              delivered, s -> {
                Jdbc.setInstant(s, 1, now);
                return 2;
              });
        } else {
          updateByIds(connection, "DELETE FROM dualwrite_outbox WHERE id IN ", delivered, s -> 1);
        }
      }
      recordFailures(connection, failed);
      connection.commit();
      close();
    }

    @Override
    public void release(Instant at) {
      close(); // a rollback: nothing was written, the rows are due as they were
    }

    @Override
    public void close() {
      if (open) {
        open = false;
        rollbackAndClose(connection, isolation);
      }
    }
  }

  /** Rows leased as {@link #claim} leases them (H2). */
  private final class LeasedBatch implements HeldBatch {
    private final List<OutboxEntry> entries;

    LeasedBatch(List<OutboxEntry> entries) {
      this.entries = entries;
    }

    @Override
    public List<OutboxEntry> entries() {
      return entries;
    }

    @Override
    public void complete(Collection<Long> delivered, boolean keep, List<FailedAttempt> failed) throws SQLException {
      markDelivered(delivered, keep);
      markFailed(failed);
    }

    @Override
    public void release(Instant at) throws SQLException {
      OutboxTable.this.release(entries.stream().map(OutboxEntry::id).toList(), at);
    }

    @Override
    public void close() {
      // an unsettled lease ends by itself
    }
  }

  private static void rollbackAndClose(Connection connection, int isolation) {
    try {
      try {
        connection.rollback();
        connection.setAutoCommit(true);
        if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
          connection.setTransactionIsolation(isolation);
        }
      } finally {
        connection.close();
      }
    } catch (SQLException e) {
      // the connection is broken: the server rolls the transaction back when it notices
    }
  }

  /** Marks changes delivered: kept (for the retention period) or deleted at once when {@code keep} is false. */
  @Override
  public void markDelivered(Collection<Long> ids, boolean keep) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      if (keep) {
        updateByIds(connection,
            "UPDATE dualwrite_outbox SET status = 'DELIVERED', delivered_at = ?, lease_owner = NULL WHERE id IN ",
            ids, s -> {
              Jdbc.setInstant(s, 1, now);
              return 2;
            });
      } else {
        updateByIds(connection, "DELETE FROM dualwrite_outbox WHERE id IN ", ids, s -> 1);
      }
    }
  }

  /** Records failed attempts in one JDBC batch per kind. */
  @Override
  public void markFailed(List<FailedAttempt> failures) throws SQLException {
    if (failures.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      recordFailures(connection, failures);
    }
  }

  private static void recordFailures(Connection connection, List<FailedAttempt> failures) throws SQLException {
    if (failures.isEmpty()) {
      return;
    }
    try (PreparedStatement retry = connection.prepareStatement(MARK_FAILED);
        PreparedStatement dead = connection.prepareStatement(MARK_DEAD)) {
      boolean retries = false;
      boolean deaths = false;
      for (FailedAttempt f : failures) {
        if (f.dead()) {
          dead.setInt(1, f.attempts());
          setStatus(dead, 2, f.status());
          dead.setString(3, truncate(f.error()));
          dead.setLong(4, f.id());
          dead.addBatch();
          deaths = true;
        } else {
          retry.setInt(1, f.attempts());
          Jdbc.setInstant(retry, 2, f.nextAttemptAt());
          setStatus(retry, 3, f.status());
          retry.setString(4, truncate(f.error()));
          retry.setLong(5, f.id());
          retry.addBatch();
          retries = true;
        }
      }
      if (retries) {
        retry.executeBatch();
      }
      if (deaths) {
        dead.executeBatch();
      }
    }
  }

  /** Hands claimed changes back without counting an attempt (the circuit breaker was open); due at {@code at}. */
  @Override
  public void release(Collection<Long> ids, Instant at) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      updateByIds(connection, "UPDATE dualwrite_outbox SET next_attempt_at = ?, lease_owner = NULL WHERE id IN ",
          ids, s -> {
            Jdbc.setInstant(s, 1, at);
            return 2;
          });
    }
  }

  /** Deletes up to {@code max} changes delivered before {@code deliveredBefore}, oldest first; returns how many. */
  @Override
  public int purgeDelivered(Instant deliveredBefore, int max) throws SQLException {
    String sql = dialect.purgeDelivered();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      connection.setAutoCommit(true);
      Jdbc.setInstant(statement, 1, deliveredBefore);
      statement.setInt(2, max);
      return statement.executeUpdate();
    }
  }

  /** Undelivered changes and dead letters per entity; entities with neither are absent. */
  @Override
  public Map<String, Backlog> backlog() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(BACKLOG);
        ResultSet rs = statement.executeQuery()) {
      Map<String, Backlog> backlog = new HashMap<>();
      while (rs.next()) {
        String entity = rs.getString("entity");
        Backlog b = backlog.getOrDefault(entity, Backlog.empty(entity));
        long n = rs.getLong("n");
        backlog.put(entity, PENDING.equals(rs.getString("status"))
            ? new Backlog(entity, n, Jdbc.getInstant(rs, "oldest"), b.deadLetters())
            : new Backlog(entity, b.pending(), b.oldestPendingCreatedAt(), n));
      }
      return backlog;
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, "read the backlog", e);
    }
  }

  /** Whether the row {@code entityId} of {@code entity} has an undelivered change or a dead letter. */
  @Override
  public boolean hasPending(String entity, String entityId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(HAS_PENDING)) {
      statement.setString(1, entity);
      statement.setString(2, entityId);
      statement.setMaxRows(1);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, "read the undelivered changes of " + entity + " " + entityId, e);
    }
  }

  /**
   * The ids among {@code entityIds} of {@code entity} that have undelivered changes, each with the newest of them (its
   * outbox row id), read on {@code connection} inside the caller's transaction: the verifier asks in the transaction
   * that reads the legacy rows (dualwrite's tables live in the legacy database). Dead letters are not undelivered
   * here. One query per 500 ids.
   */
  public static Map<String, Long> newestPending(Connection connection, String entity, Collection<String> entityIds)
      throws SQLException {
    Map<String, Long> pending = new HashMap<>();
    forEachChunk(entityIds, chunk -> {
      try (PreparedStatement statement = connection.prepareStatement(NEWEST_PENDING + inList(chunk.size())
          + " GROUP BY entity_id")) {
        statement.setString(1, entity);
        setStrings(statement, 2, chunk);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            pending.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    });
    return pending;
  }

  /**
   * The ids among {@code entityIds} of {@code entity} that still have an undelivered change whose outbox row id is at
   * most {@code throughId}: changes appended later do not count, so a wait for these ends even while writes go on.
   * Read on {@code connection}; one query per 500 ids.
   */
  public static Set<String> pendingThrough(Connection connection, String entity, Collection<String> entityIds,
      long throughId) throws SQLException {
    Set<String> pending = new HashSet<>();
    forEachChunk(entityIds, chunk -> {
      try (PreparedStatement statement = connection.prepareStatement(PENDING_THROUGH + inList(chunk.size()))) {
        statement.setString(1, entity);
        statement.setLong(2, throughId);
        setStrings(statement, 3, chunk);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            pending.add(rs.getString(1));
          }
        }
      }
    });
    return pending;
  }

  /** Where one outbox row stands: its status and the new service's last answer to it ({@code null}: none). */
  public record RowState(String status, Integer lastStatus) {
    /** Whether the relay gave up on the change. */
    public boolean dead() {
      return DEAD.equals(status);
    }

    /** Whether the change still waits for delivery. */
    public boolean pending() {
      return PENDING.equals(status);
    }
  }

  /**
   * The state of each of the outbox rows {@code rowIds} that is still in the table (a delivered row may have been
   * purged, a discarded dead letter deleted), read on {@code connection}; one query per 500 ids.
   */
  public static Map<Long, RowState> states(Connection connection, Collection<Long> rowIds) throws SQLException {
    Map<Long, RowState> states = new HashMap<>();
    forEachChunk(rowIds, chunk -> {
      try (PreparedStatement statement = connection.prepareStatement(STATES + inList(chunk.size()))) {
        int index = 1;
        for (long id : chunk) {
          statement.setLong(index++, id);
        }
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            int lastStatus = rs.getInt(3);
            states.put(rs.getLong(1), new RowState(rs.getString(2), rs.wasNull() ? null : lastStatus));
          }
        }
      }
    });
    return states;
  }

  /** Work on one chunk of at most 500 values. */
  @FunctionalInterface
  private interface ChunkWork<T> {
    void run(List<T> chunk) throws SQLException;
  }

  private static <T> void forEachChunk(Collection<T> values, ChunkWork<T> work) throws SQLException {
    List<T> all = new ArrayList<>(values);
    for (int from = 0; from < all.size(); from += 500) {
      work.run(all.subList(from, Math.min(all.size(), from + 500)));
    }
  }

  private static String inList(int size) {
    return "(" + "?,".repeat(size - 1) + "?)";
  }

  private static void setStrings(PreparedStatement statement, int first, List<String> values) throws SQLException {
    int index = first;
    for (String value : values) {
      statement.setString(index++, value);
    }
  }

  /** Up to {@code limit} dead letters of {@code entity}, oldest first. */
  @Override
  public List<DeadLetter> deadLetters(String entity, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(DEAD_LETTERS)) {
      statement.setString(1, entity);
      statement.setInt(2, limit);
      try (ResultSet rs = statement.executeQuery()) {
        List<DeadLetter> letters = new ArrayList<>();
        while (rs.next()) {
          long id = rs.getLong("id");
          int status = rs.getInt("last_status");
          Integer lastStatus = rs.wasNull() ? null : status;
          letters.add(new DeadLetter(
              id,
              rs.getString("entity"),
              rs.getString("entity_id"),
              ChangeOperation.valueOf(rs.getString("operation")),
              id,
              rs.getInt("attempts"),
              lastStatus,
              rs.getString("last_error"),
              Jdbc.getInstant(rs, "created_at")));
        }
        return letters;
      }
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, "list the dead letters of " + entity, e);
    }
  }

  /** Puts dead letter {@code id} back in line; whether it was one. */
  @Override
  public boolean retryDeadLetter(long id) {
    return update("retry dead letter #" + id, RETRY_ONE, s -> {
      Jdbc.setInstant(s, 1, clock.instant());
      s.setLong(2, id);
    }) == 1;
  }

  /** Puts every dead letter of {@code entity} back in line; how many. */
  @Override
  public int retryDeadLetters(String entity) {
    return update("retry the dead letters of " + entity, RETRY_ENTITY, s -> {
      Jdbc.setInstant(s, 1, clock.instant());
      s.setString(2, entity);
    });
  }

  /** Deletes dead letter {@code id}; whether it was one. */
  @Override
  public boolean discardDeadLetter(long id) {
    return update("discard dead letter #" + id, DISCARD_ONE, s -> s.setLong(1, id)) == 1;
  }

  /**
   * A change's idempotency key: {@code dualwrite-<row id>}, the same on every retry and unique as the row id is (the id
   * sequence is never reset). Rows store it as the empty string, which costs no bytes per row; rows appended by
   * releases before this one keep the random key they were given.
   */
  static String idempotencyKey(long id, String stored) {
    return stored == null || stored.isEmpty() ? "dualwrite-" + id : stored;
  }

  private static OutboxEntry entry(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    return new OutboxEntry(
        id,
        rs.getString("entity"),
        rs.getString("resource"),
        rs.getString("entity_id"),
        ChangeOperation.valueOf(rs.getString("operation")),
        id,
        idempotencyKey(id, rs.getString("idempotency_key")),
        rs.getString("payload"),
        rs.getInt("attempts"),
        Jdbc.getInstant(rs, "created_at"),
        Traceparent.parse(rs.getString("traceparent")).orElse(null));
  }

  @FunctionalInterface
  private interface Binder {
    /** Binds the leading parameters and returns the index of the first id parameter. */
    int bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  private interface Setter {
    void set(PreparedStatement statement) throws SQLException;
  }

  /** Runs {@code sqlPrefix (?, ?, ...)} for the ids, in chunks of 500 placeholders. */
  private static void updateByIds(Connection connection, String sqlPrefix, Collection<Long> ids, Binder binder)
      throws SQLException {
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 500) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
      String sql = sqlPrefix + "(" + "?,".repeat(chunk.size() - 1) + "?)";
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int index = binder.bind(statement);
        for (Long id : chunk) {
          statement.setLong(index++, id);
        }
        statement.executeUpdate();
      }
    }
  }

  private int update(String operation, String sql, Setter setter) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      connection.setAutoCommit(true);
      setter.set(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, operation, e);
    }
  }

  private static void setStatus(PreparedStatement statement, int index, Integer status) throws SQLException {
    if (status == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, status);
    }
  }

  private static String truncate(String error) {
    return error == null || error.length() <= 1000 ? error : error.substring(0, 997) + "...";
  }
}

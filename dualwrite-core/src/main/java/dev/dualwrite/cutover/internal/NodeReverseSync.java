package dev.dualwrite.cutover.internal;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.cutover.ReverseDeadLetter;
import dev.dualwrite.cutover.ReverseSync;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.LegacyTransaction;
import dev.dualwrite.legacy.LegacyWrite;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.storage.internal.LegacyVersionsTable;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.storage.internal.ReverseSyncTable;
import dev.dualwrite.target.FeedChange;
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.HeldVersion;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.spi.TargetClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's reverse sync. For each entity whose phase syncs back ({@code NEW_WRITES}) and whose legacy rows this node
 * can write (a {@link LegacySource} attached by the persistence integration), {@link #poll} takes or renews the
 * entity's lease, reads a page of the new service's feed after the stored cursor (outside any transaction), and
 * applies it in one legacy transaction that first checks, under a lock on the entity's state row, that this node still
 * holds the lease and the cursor is where it read from, and last advances the cursor: a crash anywhere rolls back both
 * the changes and the cursor, and a node whose lease expired meanwhile applies nothing.
 *
 * <p>The version rule decides each change: it is applied only when its version is above the one legacy last took for
 * the row ({@code dualwrite_legacy_versions}) and above any undelivered outbox change of the row. A change legacy
 * refuses is retried alone; refused again, it becomes a dead letter and the cursor moves past it. Thread-safe.
 */
public final class NodeReverseSync implements ReverseSync {
  private static final Logger log = LoggerFactory.getLogger(NodeReverseSync.class);
  /** Changes read from the feed and applied per transaction. */
  static final int PAGE = 1000;

  private final DataSource dataSource;
  private final ReverseSyncTable table;
  private final OutboxTable outbox;
  private final TargetClient target;
  private final Map<String, EntityMigration> entities;
  private final Duration lease;
  private final String node;
  private final Clock clock;
  private final Map<String, LegacySource> sources = new ConcurrentHashMap<>();
  /** The entities whose feed this node may hold the lease on: released only then, not at every poll. */
  private final java.util.Set<String> leased = ConcurrentHashMap.newKeySet();

  /** {@code target} may be null: the node then applies nothing, but still answers for the tables. */
  public NodeReverseSync(DataSource dataSource, OutboxTable outbox, TargetClient target,
      Map<String, EntityMigration> entities, Duration lease, String node, Clock clock) {
    this.dataSource = dataSource;
    this.table = new ReverseSyncTable(dataSource);
    this.outbox = outbox;
    this.target = target;
    this.entities = entities;
    this.lease = lease;
    this.node = node;
    this.clock = clock;
  }

  /** Lets this node apply the new service's changes of {@code source}'s entity to legacy. */
  public void attach(LegacySource source) {
    sources.put(source.entity(), source);
  }

  /** Stops applying changes of {@code source}'s entity (its session factory closes). */
  public void detach(LegacySource source) {
    sources.remove(source.entity(), source);
  }

  /** The entities this node can apply changes to. */
  public java.util.Set<String> attached() {
    return sources.keySet();
  }

  /**
   * After a recorded move: entering {@code NEW_WRITES} from a phase before it starts the entity's reverse sync at the
   * feed's head now and forgets the versions of the last NEW_WRITES period. A failure is logged; the first poll
   * starts it instead.
   */
  public void moved(PhaseMove move) {
    int writes = MigrationPhase.NEW_WRITES.ordinal();
    try {
      if (move.to() == MigrationPhase.NEW_WRITES && move.from().ordinal() < writes && target != null) {
        begin(move.entity());
      } else if (move.from().ordinal() >= writes && move.to().ordinal() < writes) {
        // legacy is the truth again: a later entry into NEW_WRITES starts afresh, from the feed's head then
        table.end(move.entity());
        leased.remove(move.entity());
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("dualwrite: could not {} the reverse sync of {} at the move {} -> {} ({}); a node that syncs it back"
          + " starts it at its next poll", move.to() == MigrationPhase.NEW_WRITES ? "start" : "end", move.entity(),
          move.from(), move.to(), refusal(e));
    }
  }

  private void begin(String entity) throws SQLException {
    String head = target == null ? null : target.changes(entities.get(entity).resource(), null, 1).head();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        ReverseSyncTable.begin(c, entity, head, clock.instant());
        LegacyVersionsTable.clear(c, entity);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    log.info("dualwrite: reverse sync of {} starts after feed cursor {}", entity, head);
  }

  /**
   * One round for {@code entity} in {@code phase}: apply a page of the feed when this node may, release the lease
   * when the phase no longer syncs back.
   *
   * @return how many changes were applied, skipped or dead-lettered
   */
  public int poll(String entity, MigrationPhase phase) {
    LegacySource source = sources.get(entity);
    if (source == null || target == null) {
      return 0;
    }
    try {
      if (!entities.get(entity).reverseSyncs(phase)) {
        if (leased.remove(entity)) {
          table.release(entity, node);
        }
        return 0;
      }
      if (table.read(entity).isEmpty()) {
        begin(entity);
      }
      Instant now = clock.instant();
      if (!table.acquire(entity, node, now, now.plus(lease))) {
        return 0;
      }
      leased.add(entity);
      ReverseSyncTable.State state = table.read(entity).orElseThrow();
      FeedPage page = target.changes(entities.get(entity).resource(), state.cursor(), PAGE);
      if (page.items().isEmpty()) {
        table.observeHead(entity, node, page.head(), clock.instant());
        return 0;
      }
      return apply(source, entity, state.cursor(), page);
    } catch (TargetException e) {
      log.warn("dualwrite: reverse sync of {} cannot read the new service's change feed: {}{}", entity,
          e.getMessage(), Integer.valueOf(410).equals(e.status()) ? " (the feed was compacted past the cursor: copy"
              + " the entity again with a verification that repairs legacy, then start the reverse sync again)" : "");
      return 0;
    } catch (SQLException | DualWriteStorageException e) {
      log.warn("dualwrite: reverse sync of {} failed and is tried again: {}", entity, refusal(e));
      return 0;
    }
  }

  /** Applies the page in one transaction; when legacy refuses a change, one change per transaction instead. */
  private int apply(LegacySource source, String entity, String from, FeedPage page) throws SQLException {
    long highest = page.items().stream().mapToLong(FeedChange::version).max().orElse(0);
    outbox.raiseVersionsAbove(highest);
    long behind = Objects.equals(page.next(), page.head()) ? 0 : 1;
    try {
      source.inTransaction(tx -> {
        checkStillOurs(tx.connection(), entity, from);
        long applied = applyPage(tx, entity, page.items());
        Instant last = null;
        for (FeedChange change : page.items()) {
          last = change.at() != null ? change.at() : last;
        }
        ReverseSyncTable.advance(tx.connection(), entity, page.next(), applied, page.items().size() - applied, 0,
            page.head(), behind, last, clock.instant());
        return null;
      });
      return page.items().size();
    } catch (LeaseLost e) {
      log.info("dualwrite: reverse sync of {}: {}", entity, e.getMessage());
      return 0;
    } catch (SQLException | RuntimeException batchFailure) {
      if (isTransient(batchFailure)) {
        throw batchFailure instanceof SQLException sql ? sql : new SQLException(batchFailure);
      }
      return applyOneByOne(source, entity, from, page);
    }
  }

  private int applyOneByOne(LegacySource source, String entity, String from, FeedPage page) throws SQLException {
    String cursor = from;
    int done = 0;
    for (FeedChange change : page.items()) {
      String after = cursor;
      long behind = Objects.equals(change.cursor(), page.head()) ? 0 : 1;
      String data = change.data() == null ? null : change.data().toString();
      try {
        source.inTransaction(tx -> {
          checkStillOurs(tx.connection(), entity, after);
          boolean applied = applyOne(tx, entity, change.id(), change.version(), change.operation(), data);
          ReverseSyncTable.advance(tx.connection(), entity, change.cursor(), applied ? 1 : 0, applied ? 0 : 1, 0,
              page.head(), behind, change.at(), clock.instant());
          return null;
        });
      } catch (LeaseLost e) {
        return done;
      } catch (SQLException | RuntimeException refused) {
        if (isTransient(refused)) {
          throw refused instanceof SQLException sql ? sql : new SQLException(refused);
        }
        String why = refusal(refused);
        log.warn("dualwrite: legacy refused the new service's change {} {} {} v{}; it is a dead letter now: {}",
            entity, change.id(), change.operation(), change.version(), why);
        source.inTransaction(tx -> {
          checkStillOurs(tx.connection(), entity, after);
          ReverseSyncTable.addDeadLetter(tx.connection(), entity, change.id(), change.operation(), change.version(),
              why, clock.instant());
          ReverseSyncTable.advance(tx.connection(), entity, change.cursor(), 0, 0, 1, page.head(), behind,
              change.at(), clock.instant());
          return null;
        });
      }
      cursor = change.cursor();
      done++;
    }
    return done;
  }

  /**
   * Applies a page of changes under the version rule, in a few statements whatever its size: the versions legacy
   * holds of its ids and their undelivered outbox changes are read in one query each, the newest change of each id is
   * written if it is newer ({@link LegacyTransaction#write}, batched), and the versions recorded in one batch.
   *
   * @return how many of the changes legacy took (a change followed in the page by a newer one of its id counts as
   *     taken when that one is)
   */
  private long applyPage(LegacyTransaction tx, String entity, List<FeedChange> changes) throws SQLException {
    Connection c = tx.connection();
    Map<String, FeedChange> newest = new LinkedHashMap<>();
    Map<String, Integer> changesOf = new HashMap<>();
    for (FeedChange change : changes) {
      newest.remove(change.id());
      newest.put(change.id(), change);
      changesOf.merge(change.id(), 1, Integer::sum);
    }
    Map<String, Long> known = LegacyVersionsTable.lockAll(c, entity, newest.keySet());
    Map<String, Long> pending = OutboxTable.newestPending(c, entity, newest.keySet());
    List<LegacyWrite> writes = new ArrayList<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    long taken = 0;
    for (FeedChange change : newest.values()) {
      long held = Math.max(known.getOrDefault(change.id(), -1L), pending.getOrDefault(change.id(), -1L));
      if (change.version() <= held) {
        continue;
      }
      writes.add(new LegacyWrite(change.id(), change.operation() == ChangeOperation.DELETE ? null
          : change.data().toString()));
      versions.put(change.id(), change.version());
      taken += changesOf.get(change.id());
    }
    if (!writes.isEmpty()) {
      tx.write(writes);
      LegacyVersionsTable.putAll(c, entity, versions, known, LegacyVersionsTable.Writer.SERVICE, clock.instant());
    }
    return taken;
  }

  /**
   * Applies one change of the row {@code id} under the version rule.
   *
   * @return whether legacy took it (false: legacy already has this version or a newer one)
   */
  private boolean applyOne(LegacyTransaction tx, String entity, String id, long version, ChangeOperation operation,
      String data) throws SQLException {
    Connection c = tx.connection();
    long known = LegacyVersionsTable.lock(c, entity, id).orElse(-1L);
    long pending = OutboxTable.newestPending(c, entity, List.of(id)).getOrDefault(id, -1L);
    if (version <= Math.max(known, pending)) {
      return false;
    }
    if (operation == ChangeOperation.DELETE) {
      tx.delete(id);
    } else {
      tx.upsert(id, data);
    }
    LegacyVersionsTable.put(c, entity, id, version, LegacyVersionsTable.Writer.SERVICE, clock.instant());
    return true;
  }

  /**
   * A repair of one legacy row from the new service, which is the truth in NEW_WRITES and NEW_ONLY: writes the
   * service's state ({@code data}, or a delete when null) over whatever legacy has, and records {@code version} (or
   * the version legacy already took, if higher) as the row's. In the caller's transaction.
   */
  public void repairLegacy(LegacyTransaction tx, String entity, String id, long version, String data)
      throws SQLException {
    Connection c = tx.connection();
    long known = LegacyVersionsTable.lock(c, entity, id).orElse(-1L);
    if (data == null) {
      tx.delete(id);
    } else {
      tx.upsert(id, data);
    }
    LegacyVersionsTable.put(c, entity, id, Math.max(known, version), LegacyVersionsTable.Writer.SERVICE,
        clock.instant());
  }

  private void checkStillOurs(Connection c, String entity, String from) throws SQLException {
    ReverseSyncTable.State locked = ReverseSyncTable.lock(c, entity).orElseThrow(() -> new LeaseLost(
        "its state was removed"));
    if (!node.equals(locked.leaseOwner())) {
      throw new LeaseLost("another node (" + locked.leaseOwner() + ") holds the lease now");
    }
    if (!Objects.equals(locked.cursor(), from)) {
      throw new LeaseLost("the cursor moved on to " + locked.cursor() + " meanwhile");
    }
  }

  /**
   * Why legacy refused a change, without the values it was given: the database's own reason (the first line of its
   * message, with its SQLState), never the statement, whose text a driver may quote with the row's values (a batch
   * entry, a duplicate key's detail).
   */
  public static String refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        SQLException reason = sql instanceof java.sql.BatchUpdateException && sql.getNextException() != null
            ? sql.getNextException() : sql;
        return firstLine(reason.getMessage()).replaceAll("Batch entry \\d+ .*", "a batched statement failed")
            + (reason.getSQLState() == null ? "" : " (SQLState " + reason.getSQLState() + ")");
      }
    }
    return failure.getClass().getSimpleName() + ": " + firstLine(failure.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }

  /** A deadlock, serialization failure or lost connection: the same work may succeed when tried again. */
  private static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("40") || sql.getSQLState().startsWith("08"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the entity's reverse sync has applied every change up to the feed's head, read now. */
  public GateResult caughtUpGate(String entity) {
    String name = "reverse-sync-caught-up";
    String expected = "every change of the new service's feed applied to legacy, and no reverse dead letter";
    if (target == null) {
      return new GateResult(name, false, "this node has no target client to read the feed with", expected);
    }
    try {
      Optional<ReverseSyncTable.State> state = table.read(entity);
      if (state.isEmpty()) {
        return new GateResult(name, false, "no reverse sync has begun", expected);
      }
      FeedPage after = target.changes(entities.get(entity).resource(), state.get().cursor(), 1);
      long dead = table.countDeadLetters(entity);
      boolean caughtUp = after.items().isEmpty();
      return new GateResult(name, caughtUp && dead == 0, (caughtUp ? "caught up with the feed's head "
          + after.head() : "changes after cursor " + state.get().cursor() + " not applied yet (head " + after.head()
          + ")") + (dead == 0 ? "" : ", " + dead + " dead letter(s)"), expected);
    } catch (SQLException | RuntimeException e) {
      return new GateResult(name, false, "cannot tell: " + e.getMessage(), expected);
    }
  }

  /** The version legacy holds of {@code id} since the entity entered NEW_WRITES; empty when none is recorded. */
  public Optional<Long> legacyVersion(String entity, String id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return LegacyVersionsTable.read(c, entity, id);
    }
  }

  /**
   * Whether the entity's reverse sync caught up with the new service's feed (read it and found nothing left to apply)
   * within the last {@code within}, with no dead letter: the gate into NEW_ONLY, where the service's clients go on
   * writing and "nothing left at this very moment" may never hold.
   */
  public GateResult recentlyCaughtUpGate(String entity, Duration within) {
    String name = "reverse-sync-caught-up";
    String expected = "the reverse sync caught up with the new service's feed within the last " + within
        + ", and no reverse dead letter";
    try {
      Optional<ReverseSyncTable.State> state = table.read(entity);
      long dead = table.countDeadLetters(entity);
      if (state.isEmpty() || state.get().caughtUpAt() == null) {
        return new GateResult(name, false, state.isEmpty() ? "no reverse sync has begun"
            : "not caught up since it began", expected);
      }
      Duration ago = Duration.between(state.get().caughtUpAt(), clock.instant());
      return new GateResult(name, ago.compareTo(within) <= 0 && dead == 0, "caught up " + ago.toMillis() + " ms ago"
          + (dead == 0 ? "" : ", " + dead + " dead letter(s)"), expected);
    } catch (SQLException e) {
      return new GateResult(name, false, "cannot tell: " + e.getMessage(), expected);
    }
  }

  /** When the monolith last wrote the entity since it entered NEW_WRITES; empty when it has not. */
  public Optional<Instant> lastMonolithWrite(String entity) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return LegacyVersionsTable.lastMonolithWrite(c, entity);
    }
  }

  @Override
  public ReverseSyncStatus status(String entity) {
    requireKnown(entity);
    try {
      Optional<ReverseSyncTable.State> read = table.read(entity);
      long dead = table.countDeadLetters(entity);
      if (read.isEmpty()) {
        return new ReverseSyncStatus(entity, false, null, null, false, 0, Duration.ZERO, 0, 0, 0, dead, null, null,
            null, null);
      }
      ReverseSyncTable.State s = read.get();
      boolean caughtUp = Objects.equals(s.cursor(), s.headCursor()) && s.behind() == 0;
      Instant now = clock.instant();
      boolean leased = s.leaseOwner() != null && s.leaseUntil() != null && s.leaseUntil().isAfter(now);
      Duration lag = caughtUp || s.lastChangeAt() == null ? Duration.ZERO : Duration.between(s.lastChangeAt(), now);
      return new ReverseSyncStatus(entity, true, s.cursor(), s.headCursor(), caughtUp, caughtUp ? 0 : s.behind(),
          lag.isNegative() ? Duration.ZERO : lag, s.applied(), s.skipped(), s.failed(), dead,
          leased ? s.leaseOwner() : null, s.caughtUpAt(), s.lastChangeAt(), null);
    } catch (SQLException e) {
      return new ReverseSyncStatus(entity, false, null, null, false, 0, Duration.ZERO, 0, 0, 0, 0, null, null, null,
          e.getMessage());
    }
  }

  @Override
  public List<ReverseDeadLetter> deadLetters(String entity, int limit) {
    requireKnown(entity);
    try {
      return table.deadLetters(entity, limit);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_reverse_dead_letters", "list dead letters of " + entity, e);
    }
  }

  @Override
  public boolean retryDeadLetter(long id) {
    try (Connection c = dataSource.getConnection()) {
      ReverseDeadLetter letter = ReverseSyncTable.lockDeadLetter(c, id).orElseThrow(() ->
          new IllegalArgumentException("no reverse dead letter has id " + id));
      LegacySource source = sources.get(letter.entity());
      if (source == null || target == null) {
        throw new IllegalStateException("this node cannot apply changes of " + letter.entity() + " to legacy: "
            + (target == null ? "it has no target client" : "no session factory of it has the entity mapped"));
      }
      String resource = entities.get(letter.entity()).resource();
      Optional<HeldVersion> held = target.held(resource, letter.entityId());
      Optional<TargetDocument> live = held.isPresent() && !held.get().deleted()
          ? target.get(resource, letter.entityId()) : Optional.empty();
      try {
        source.inTransaction(tx -> {
          if (ReverseSyncTable.lockDeadLetter(tx.connection(), id).isEmpty()) {
            return null; // another node retried it meanwhile
          }
          if (live.isPresent()) {
            applyOne(tx, letter.entity(), letter.entityId(), live.get().version(), ChangeOperation.UPSERT,
                live.get().data().toString());
          } else if (held.isPresent()) {
            applyOne(tx, letter.entity(), letter.entityId(), held.get().version(), ChangeOperation.DELETE, null);
          }
          ReverseSyncTable.deleteDeadLetter(tx.connection(), id);
          return null;
        });
        return true;
      } catch (SQLException | RuntimeException refused) {
        String why = refusal(refused);
        table.failedAgain(id, why);
        log.warn("dualwrite: legacy refused reverse dead letter {} ({} {}) again: {}", id, letter.entity(),
            letter.entityId(), why);
        return false;
      }
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_reverse_dead_letters", "retry dead letter " + id, e);
    }
  }

  @Override
  public int retryDeadLetters(String entity) {
    requireKnown(entity);
    try {
      int taken = 0;
      for (long id : table.deadLetterIds(entity)) {
        if (retryDeadLetter(id)) {
          taken++;
        }
      }
      return taken;
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_reverse_dead_letters", "retry dead letters of " + entity, e);
    }
  }

  @Override
  public boolean discardDeadLetter(long id) {
    try {
      return table.discardDeadLetter(id);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_reverse_dead_letters", "discard dead letter " + id, e);
    }
  }

  private void requireKnown(String entity) {
    if (!entities.containsKey(entity)) {
      throw new IllegalArgumentException("unknown entity '" + entity + "'; configured entities are "
          + List.copyOf(entities.keySet()));
    }
  }

  /** This node may not apply the page it read: the lease or the cursor changed. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost(String message) {
      super("page not applied: " + message, null, false, false);
    }
  }
}

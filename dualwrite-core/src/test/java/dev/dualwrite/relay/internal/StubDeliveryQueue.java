package dev.dualwrite.relay.internal;

import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The outbox in memory, for the relay's unit tests: rows due by the given clock, leases, attempts and dead letters. */
final class StubDeliveryQueue implements DeliveryQueue {

  /** One outbox row as the relay left it. */
  static final class Row {
    private OutboxEntry entry;
    private Instant dueAt;
    private boolean delivered;
    private boolean dead;
    private Integer status;
    private String error;

    int attempts() {
      return entry.attempts();
    }

    Instant dueAt() {
      return dueAt;
    }

    boolean delivered() {
      return delivered;
    }

    boolean dead() {
      return dead;
    }

    Integer status() {
      return status;
    }

    String error() {
      return error;
    }
  }

  private final Clock clock;
  private final Map<Long, Row> rows = new TreeMap<>();
  private final List<Long> released = new ArrayList<>();
  private int claims;
  private long nextId = 1;

  StubDeliveryQueue(Clock clock) {
    this.clock = clock;
  }

  /** Appends an upsert of {@code entity} {@code entityId} with {@code payload}, due now; returns its row id. */
  synchronized long append(String entity, String entityId, String payload) {
    long id = nextId++;
    Row row = new Row();
    row.entry = new OutboxEntry(id, entity, entity, entityId, ChangeOperation.UPSERT, id, "key-" + id, payload, 0,
        clock.instant());
    row.dueAt = clock.instant();
    rows.put(id, row);
    return id;
  }

  synchronized Row row(long id) {
    return rows.get(id);
  }

  /** How many times the relay claimed, whether or not anything was due. */
  synchronized int claims() {
    return claims;
  }

  /** The ids the relay handed back without an attempt, in order. */
  synchronized List<Long> released() {
    return List.copyOf(released);
  }

  @Override
  public synchronized List<OutboxEntry> claim(int max, Instant leaseUntil, String owner) {
    claims++;
    Instant now = clock.instant();
    List<OutboxEntry> claimed = new ArrayList<>();
    for (Row row : rows.values()) {
      if (claimed.size() < max && !row.delivered && !row.dead && !row.dueAt.isAfter(now)) {
        row.dueAt = leaseUntil;
        claimed.add(row.entry);
      }
    }
    return claimed;
  }

  @Override
  public synchronized void markDelivered(Collection<Long> ids, boolean keep) {
    for (Long id : ids) {
      rows.get(id).delivered = true;
    }
  }

  @Override
  public synchronized void markFailed(List<DeliveryQueue.FailedAttempt> failures) {
    for (DeliveryQueue.FailedAttempt failure : failures) {
      Row row = rows.get(failure.id());
      OutboxEntry e = row.entry;
      row.entry = new OutboxEntry(e.id(), e.entity(), e.resource(), e.entityId(), e.operation(), e.version(),
          e.idempotencyKey(), e.payload(), failure.attempts(), e.createdAt());
      row.dueAt = failure.nextAttemptAt();
      row.dead = failure.dead();
      row.status = failure.status();
      row.error = failure.error();
    }
  }

  @Override
  public synchronized void release(Collection<Long> ids, Instant at) {
    for (Long id : ids) {
      rows.get(id).dueAt = at;
      released.add(id);
    }
  }

  @Override
  public int purgeDelivered(Instant deliveredBefore, int max) {
    return 0;
  }

  @Override
  public synchronized Map<String, Backlog> backlog() {
    Map<String, Backlog> backlog = new TreeMap<>();
    for (Row row : rows.values()) {
      Backlog b = backlog.getOrDefault(row.entry.entity(), Backlog.empty(row.entry.entity()));
      boolean pending = !row.delivered && !row.dead;
      backlog.put(b.entity(), new Backlog(b.entity(), b.pending() + (pending ? 1 : 0),
          pending && b.oldestPendingCreatedAt() == null ? row.entry.createdAt() : b.oldestPendingCreatedAt(),
          b.deadLetters() + (row.dead ? 1 : 0)));
    }
    return backlog;
  }
}

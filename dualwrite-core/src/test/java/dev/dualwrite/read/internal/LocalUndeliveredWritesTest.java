package dev.dualwrite.read.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.outbox.OutboxEntry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What this node remembers of its own undelivered writes, and when it lets go. */
class LocalUndeliveredWritesTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final SettableClock clock = new SettableClock();
  private final StubOutbox outbox = new StubOutbox();
  /** Sweeps only when a test calls {@link LocalUndeliveredWrites#sweep()}: the node's scheduler is not here. */
  private final LocalUndeliveredWrites writes = new LocalUndeliveredWrites(List.of("users", "notes"), outbox, clock);

  private static Change upsert(String entity, String id, Long version) {
    return new Change(entity, entity, id, ChangeOperation.UPSERT, version, "{}", ChangeOrigin.LIVE);
  }

  private static OutboxEntry delivered(String entity, String id, long version) {
    return new OutboxEntry(1, entity, entity, id, ChangeOperation.UPSERT, version, "k", "{}", 0, START);
  }

  @Test
  void aCommittedKeyIsUndeliveredUntilThisNodeDeliversItsVersion() {
    writes.committed(List.of(upsert("users", "1", 3L)));

    assertThat(writes.mayBeUndelivered("users", "1")).isTrue();
    assertThat(writes.mayBeUndelivered("users", "2")).isFalse();
    assertThat(writes.mayBeUndelivered("notes", "1")).isFalse();

    writes.onDelivered(List.of(delivered("users", "1", 2)), START);
    assertThat(writes.mayBeUndelivered("users", "1")).as("an older version was delivered").isTrue();
    writes.onDelivered(List.of(delivered("users", "1", 3)), START);
    assertThat(writes.mayBeUndelivered("users", "1")).isFalse();
  }

  @Test
  void aLaterCommitRaisesTheVersionToWaitFor() {
    writes.committed(List.of(upsert("users", "1", 3L)));
    writes.committed(List.of(upsert("users", "1", 4L)));

    writes.onDelivered(List.of(delivered("users", "1", 3)), START);

    assertThat(writes.mayBeUndelivered("users", "1")).isTrue();
  }

  @Test
  void aKeyOfAnEntityWithoutVersionWaitsForTheSweep() {
    clock.set(START);
    writes.committed(List.of(upsert("notes", "5", null)));
    writes.onDelivered(List.of(delivered("notes", "5", 999)), START);
    assertThat(writes.mayBeUndelivered("notes", "5")).as("its outbox version is unknown here").isTrue();

    clock.set(START.plusSeconds(1));
    outbox.pending.put("notes", new Backlog("notes", 1, START.minusMillis(10), 0));
    writes.sweep();
    assertThat(writes.mayBeUndelivered("notes", "5")).as("an older change is still pending").isTrue();

    outbox.pending.put("notes", new Backlog("notes", 1, START.plusMillis(500), 0));
    writes.sweep();
    assertThat(writes.mayBeUndelivered("notes", "5")).as("the oldest pending change came after it").isFalse();
  }

  @Test
  void theSweepLetsGoOfKeysOnceNothingIsPendingAndKeepsLaterOnes() {
    clock.set(START);
    writes.committed(List.of(upsert("users", "1", 1L)));
    clock.set(START.plusSeconds(1));
    writes.sweep();
    assertThat(writes.mayBeUndelivered("users", "1")).as("delivered by another node's relay").isFalse();

    writes.committed(List.of(upsert("users", "2", 1L)));
    writes.sweep();
    assertThat(writes.mayBeUndelivered("users", "2")).as("committed as the sweep asked: kept").isTrue();
  }

  @Test
  void aDeadLetteredKeyIsKeptUntilItsDeadLetterIsRetriedAndDeliveredOrDiscarded() {
    clock.set(START);
    writes.committed(List.of(upsert("users", "1", 1L), upsert("users", "2", 1L)));
    clock.set(START.plusSeconds(1));
    outbox.pending.put("users", new Backlog("users", 0, null, 1));
    outbox.deadLetters.add(deadLetter("users", "1"));

    writes.sweep();

    assertThat(writes.mayBeUndelivered("users", "1")).as("the new service never got it").isTrue();
    assertThat(writes.mayBeUndelivered("users", "2")).as("delivered").isFalse();

    outbox.pending.remove("users");
    outbox.deadLetters.clear();
    writes.sweep();
    assertThat(writes.mayBeUndelivered("users", "1")).isFalse();
  }

  @Test
  void withMoreDeadLettersThanItReadsTheSweepKeepsEveryKeyOfTheEntity() {
    clock.set(START);
    writes.committed(List.of(upsert("users", "1", 1L)));
    clock.set(START.plusSeconds(1));
    outbox.pending.put("users", new Backlog("users", 0, null, LocalUndeliveredWrites.DEAD_LETTERS_READ + 1));

    writes.sweep();

    assertThat(writes.mayBeUndelivered("users", "1")).isTrue();
  }

  private static DeadLetter deadLetter(String entity, String id) {
    return new DeadLetter(9, entity, id, ChangeOperation.UPSERT, 1, 5, 422, "rejected", START);
  }

  @Test
  void beyondItsCapacityEveryKeyOfTheEntityCountsAsUndeliveredUntilTheOverflowIsDelivered() {
    clock.set(START);
    int capacity = LocalUndeliveredWrites.MAX_KEYS_PER_ENTITY;
    writes.committed(IntStream.rangeClosed(0, capacity).mapToObj(i -> upsert("users", "k" + i, 1L)).toList());

    assertThat(writes.mayBeUndelivered("users", "never-written")).isTrue();
    assertThat(writes.mayBeUndelivered("notes", "never-written")).isFalse();

    clock.set(START.plusSeconds(1));
    outbox.pending.put("users", new Backlog("users", 1, START, 0));
    writes.sweep();
    assertThat(writes.mayBeUndelivered("users", "never-written")).isTrue();

    outbox.pending.remove("users");
    writes.sweep();
    assertThat(writes.mayBeUndelivered("users", "never-written")).isFalse();
    assertThat(writes.mayBeUndelivered("users", "k0")).isFalse();
  }

  @Test
  void aFailingBacklogQueryKeepsEveryKey() {
    writes.committed(List.of(upsert("users", "1", 1L)));
    outbox.failing = true;
    clock.set(START.plusSeconds(5));

    writes.sweep();

    assertThat(writes.mayBeUndelivered("users", "1")).isTrue();
  }

  private static final class SettableClock extends Clock {
    private volatile Instant now = START;

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** An outbox whose backlog the test sets. */
  private static final class StubOutbox implements Outbox {
    final Map<String, Backlog> pending = new ConcurrentHashMap<>();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public Map<String, Backlog> backlog() {
      if (failing) {
        throw new IllegalStateException("database down");
      }
      return Map.copyOf(pending);
    }

    @Override
    public List<Change> append(Connection connection, List<Change> changes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean hasPending(String entity, String entityId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<DeadLetter> deadLetters(String entity, int limit) {
      return deadLetters.stream().filter(letter -> letter.entity().equals(entity)).limit(limit).toList();
    }

    @Override
    public boolean retryDeadLetter(long id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int retryDeadLetters(String entity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean discardDeadLetter(long id) {
      throw new UnsupportedOperationException();
    }
  }
}

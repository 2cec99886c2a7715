package dev.dualwrite.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.internal.DeliveryQueue;
import dev.dualwrite.relay.internal.DeliveryQueue.FailedAttempt;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

class OutboxTableTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  private OutboxTable outbox(TestDatabase db) {
    DualWriteSchema.createIfMissing(db.dataSource());
    db.execute("DELETE FROM dualwrite_outbox");
    return new OutboxTable(db.dataSource(), DatabaseDialect.detect(db.dataSource()), clock);
  }

  private static List<Change> append(TestDatabase db, OutboxTable outbox, String entity, int count)
      throws SQLException {
    List<Change> changes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      changes.add(Change.of(entity, entity, String.valueOf(i), ChangeOperation.UPSERT, "{\"id\":" + i + "}",
          ChangeOrigin.LIVE));
    }
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      List<Change> appended = outbox.append(connection, changes);
      connection.commit();
      return appended;
    }
  }

  @DatabaseTest
  void everyChangeTravelsWithItsRowIdAsItsVersionAndLearnsItWhenAppended(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    List<Change> notes = append(db, outbox, "notes", 1);
    List<Change> users = append(db, outbox, "users", 3);

    List<OutboxEntry> claimed = outbox.claim(10, now.get().plusSeconds(30), "relay-1");

    assertThat(claimed).hasSize(4).allSatisfy(entry -> assertThat(entry.version()).isEqualTo(entry.id()));
    assertThat(claimed).extracting(OutboxEntry::version).isSorted().doesNotHaveDuplicates();
    List<Change> appended = new ArrayList<>(notes);
    appended.addAll(users);
    assertThat(appended).extracting(Change::version)
        .as("append returns each change with its row id, in order")
        .containsExactlyElementsOf(claimed.stream().map(OutboxEntry::id).toList());
    assertThat(claimed).extracting(OutboxEntry::idempotencyKey).doesNotHaveDuplicates();
  }

  @DatabaseTest
  void claimedChangesAreLeasedUntilTheLeaseEnds(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 3);

    assertThat(outbox.claim(2, now.get().plusSeconds(30), "relay-1")).hasSize(2);
    assertThat(outbox.claim(10, now.get().plusSeconds(30), "relay-2")).as("only the unleased one").hasSize(1);
    assertThat(outbox.claim(10, now.get().plusSeconds(30), "relay-2")).isEmpty();

    now.set(now.get().plusSeconds(31));
    assertThat(outbox.claim(10, now.get().plusSeconds(30), "relay-2")).as("all leases ended").hasSize(3);
  }

  @DatabaseTest
  void theBacklogCountsPendingChangesAndTheOldestOnesAge(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    Instant first = now.get();
    append(db, outbox, "users", 2);
    now.set(first.plusSeconds(5));
    append(db, outbox, "notes", 1);

    Backlog users = outbox.backlog().get("users");
    assertThat(users.pending()).isEqualTo(2);
    assertThat(users.oldestPendingCreatedAt()).isEqualTo(first);
    assertThat(outbox.backlog().get("notes").pending()).isEqualTo(1);
    assertThat(outbox.hasPending("users", "2")).isTrue();
    assertThat(outbox.hasPending("users", "3")).isFalse();

    List<OutboxEntry> claimed = outbox.claim(10, now.get().plusSeconds(30), "relay-1");
    outbox.markDelivered(claimed.stream().map(OutboxEntry::id).toList(), true);
    assertThat(outbox.backlog()).isEmpty();
    assertThat(outbox.hasPending("users", "2")).isFalse();
  }

  @DatabaseTest
  void deliveredChangesArePurgedAfterTheRetentionInBoundedBatches(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 5);
    List<OutboxEntry> claimed = outbox.claim(10, now.get().plusSeconds(30), "relay-1");
    outbox.markDelivered(claimed.stream().map(OutboxEntry::id).toList(), true);
    now.set(now.get().plusSeconds(60));

    assertThat(outbox.purgeDelivered(now.get().minusSeconds(120), 2)).as("younger than the retention").isZero();
    assertThat(outbox.purgeDelivered(now.get().minusSeconds(30), 2)).isEqualTo(2);
    assertThat(outbox.purgeDelivered(now.get().minusSeconds(30), 2)).isEqualTo(2);
    assertThat(outbox.purgeDelivered(now.get().minusSeconds(30), 2)).isEqualTo(1);
    assertThat(rows(db)).isZero();
  }

  @DatabaseTest
  void withoutRetentionADeliveredChangeIsDeletedAtOnce(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 3);
    List<OutboxEntry> claimed = outbox.claim(10, now.get().plusSeconds(30), "relay-1");

    outbox.markDelivered(claimed.stream().map(OutboxEntry::id).toList(), false);

    assertThat(rows(db)).isZero();
  }

  @DatabaseTest
  void deadLettersAreListedRetriedAndDiscarded(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 3);
    List<OutboxEntry> claimed = outbox.claim(10, now.get().plusSeconds(30), "relay-1");
    List<FailedAttempt> failures = new ArrayList<>();
    for (OutboxEntry entry : claimed) {
      failures.add(new FailedAttempt(entry.id(), 4, null, 422, "rejected: bad field", true));
    }
    outbox.markFailed(failures);

    List<DeadLetter> letters = outbox.deadLetters("users", 10);
    assertThat(letters).hasSize(3).allSatisfy(letter -> {
      assertThat(letter.lastStatus()).isEqualTo(422);
      assertThat(letter.lastError()).isEqualTo("rejected: bad field");
      assertThat(letter.attempts()).isEqualTo(4);
      assertThat(letter.version()).isEqualTo(letter.id());
    });
    assertThat(outbox.backlog().get("users").deadLetters()).isEqualTo(3);
    assertThat(outbox.claim(10, now.get(), "relay-1")).as("dead letters are not delivered").isEmpty();
    String discarded = letters.get(1).entityId();
    assertThat(outbox.hasPending("users", discarded)).as("a dead letter is undelivered").isTrue();

    assertThat(outbox.retryDeadLetter(letters.get(0).id())).isTrue();
    assertThat(outbox.retryDeadLetter(letters.get(0).id())).as("no longer dead").isFalse();
    assertThat(outbox.discardDeadLetter(letters.get(1).id())).isTrue();
    assertThat(outbox.hasPending("users", discarded)).isFalse();
    assertThat(outbox.retryDeadLetters("users")).isEqualTo(1);

    List<OutboxEntry> again = outbox.claim(10, now.get(), "relay-1");
    assertThat(again).hasSize(2).allSatisfy(entry -> assertThat(entry.attempts()).isZero());
    assertThat(outbox.deadLetters("users", 10)).isEmpty();
  }

  @DatabaseTest
  void aFailedAttemptIsDueAgainAtItsNextAttemptTime(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 1);
    OutboxEntry entry = outbox.claim(10, now.get().plusSeconds(30), "relay-1").get(0);
    outbox.markFailed(List.of(new FailedAttempt(entry.id(), 1, now.get().plusMillis(500), 503,
        "down", false)));

    assertThat(outbox.claim(10, now.get().plusSeconds(30), "relay-1")).isEmpty();
    now.set(now.get().plus(Duration.ofMillis(500)));
    assertThat(outbox.claim(10, now.get().plusSeconds(30), "relay-1")).singleElement()
        .satisfies(e -> assertThat(e.attempts()).isEqualTo(1));
  }

  @DatabaseTest
  void heldRowsAreSkippedByOtherRelaysDeletedWhenDeliveredAndDueAgainWhenTheHolderGivesUp(TestDatabase db)
      throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 4);

    try (DeliveryQueue.HeldBatch first = outbox.hold(2, now.get().plusSeconds(30), "relay-1", Set.of())) {
      assertThat(first.entries()).extracting(OutboxEntry::entityId).containsExactly("1", "2");
      try (DeliveryQueue.HeldBatch second = outbox.hold(10, now.get().plusSeconds(30), "relay-2", Set.of())) {
        assertThat(second.entries()).as("the rows the first holds are skipped, not waited for")
            .extracting(OutboxEntry::entityId).containsExactly("3", "4");
        // the second relay dies before settling: closing rolls back
      }
      first.complete(List.of(first.entries().get(0).id()), false, List.of(new FailedAttempt(
          first.entries().get(1).id(), 1, now.get().plusSeconds(5), 503, "down", false)));
    }

    assertThat(rows(db)).as("the delivered row is deleted, the failed one stays").isEqualTo(3);
    try (DeliveryQueue.HeldBatch again = outbox.hold(10, now.get().plusSeconds(30), "relay-2", Set.of())) {
      assertThat(again.entries()).as("what the dead holder had is due at once; the retry is not due yet")
          .extracting(OutboxEntry::entityId).containsExactly("3", "4");
    }
    now.set(now.get().plusSeconds(5));
    try (DeliveryQueue.HeldBatch retry = outbox.hold(10, now.get().plusSeconds(30), "relay-2", Set.of())) {
      assertThat(retry.entries()).extracting(OutboxEntry::entityId).containsExactly("2", "3", "4");
      assertThat(retry.entries().get(0).attempts()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void heldAndDeliveredRowsAreKeptAsDeliveredWhenRetentionAsksForIt(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 2);
    try (DeliveryQueue.HeldBatch batch = outbox.hold(10, now.get().plusSeconds(30), "relay-1", Set.of())) {
      batch.complete(batch.entries().stream().map(OutboxEntry::id).toList(), true, List.of());
    }

    assertThat(rows(db)).isEqualTo(2);
    assertThat(outbox.backlog()).isEmpty();
    now.set(now.get().plusSeconds(60));
    assertThat(outbox.purgeDelivered(now.get().minusSeconds(30), 10)).isEqualTo(2);
  }

  @DatabaseTest
  void changesOfPausedEntitiesAreNotClaimed(TestDatabase db) throws Exception {
    OutboxTable outbox = outbox(db);
    append(db, outbox, "users", 2);
    append(db, outbox, "notes", 1);

    try (DeliveryQueue.HeldBatch batch = outbox.hold(10, now.get().plusSeconds(30), "relay-1", Set.of("users"))) {
      assertThat(batch.entries()).extracting(OutboxEntry::entity).containsExactly("notes");
    }
    assertThat(outbox.backlog().get("users").pending()).as("paused changes wait in the outbox").isEqualTo(2);
  }

  private static long rows(TestDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM dualwrite_outbox")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

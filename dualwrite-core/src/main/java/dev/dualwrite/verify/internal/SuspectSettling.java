package dev.dualwrite.verify.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.verify.internal.Observation.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Observes keys and settles the suspect ones of a verification run: a batch of suspects is checked again in bulk
 * (legacy rows and undelivered changes in one legacy transaction, then the new service), and between two checks one
 * bounded wait for the whole batch, until the undelivered changes the check saw are delivered. A suspect settles when
 * a check sees agreement or a real difference; what is still unsettled after {@value #MAX_SETTLE_ROUNDS} checks or at
 * the deadline is in flight. Used by one execution of a run on one thread; not thread-safe (its progress line is not).
 */
final class SuspectSettling {
  private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(10).toNanos();
  private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(250).toNanos();
  /**
   * Bulk checks per batch of suspects, the first included: a key that still changes after that many is in flight.
   * Keys that settle do so in one to three; the bound keeps a key written many times a second from holding up the
   * walk until the settle timeout.
   */
  static final int MAX_SETTLE_ROUNDS = 8;

  private final String entity;
  private final LegacyTransactions transactions;
  private final ServiceReads reads;
  private final SnapshotComparison comparison;
  private final ObjectMapper mapper;
  private final VerificationProgress progress;

  /** Legacy rows by id and, for the ids with undelivered changes, the newest of them, read in one transaction. */
  private record LegacyRead(Map<String, LegacyRow> rows, Map<String, Long> pending) {}

  /** One bulk check of some keys, and the newest undelivered change (its outbox row id) of each key that has one. */
  private record Recheck(List<Observation> observations, Map<String, Long> pending) {}

  /**
   * What settling a batch found: the real differences, and the keys still unsettled at the deadline, each with what
   * it was last seen as.
   */
  record Settled(List<Observation> differences, Map<String, Observation> unsettled) {}

  SuspectSettling(String entity, LegacyTransactions transactions, ServiceReads reads, SnapshotComparison comparison,
      ObjectMapper mapper, VerificationProgress progress) {
    this.entity = entity;
    this.transactions = transactions;
    this.reads = reads;
    this.comparison = comparison;
    this.mapper = mapper;
    this.progress = progress;
  }

  /**
   * Checks {@code keys} (each with what it was last seen as) again, all in one bulk check per round, until each
   * agrees, shows a real difference, {@value #MAX_SETTLE_ROUNDS} rounds were made or {@code deadline} passes; at
   * least once. A difference is real when a check sees what the previous check saw with nothing undelivered, or
   * when every change the previous check saw undelivered has been delivered since and the copy did not change: the
   * service did not take them (a write it applies raises the copy's version), so a key that keeps being written
   * settles too. Between two rounds, one wait for the batch: until the undelivered changes the last check saw are
   * delivered (changes appended later do not prolong it, so live writes cannot hold it up), or a short pause when a
   * key changed with nothing undelivered. {@code deliveredBefore} names the keys whose undelivered changes, as of
   * their last observation, were delivered before this call.
   */
  Settled settleTogether(Map<String, Observation> keys, Set<String> deliveredBefore, long deadline) {
    Map<String, Observation> unsettled = keys;
    Set<String> delivered = deliveredBefore;
    List<Observation> differences = new ArrayList<>();
    for (int round = 0; ; round++) {
      Recheck check = recheck(unsettled.keySet());
      Map<String, Observation> next = new LinkedHashMap<>();
      for (Observation now : check.observations()) {
        if (now.verdict() == Verdict.SAME) {
          continue;
        }
        Observation before = unsettled.get(now.id());
        if (!now.pending() && now.sameAs(before) || delivered.contains(now.id()) && now.sameCopyAs(before)) {
          differences.add(now);
        } else {
          next.put(now.id(), now);
        }
      }
      unsettled = next;
      if (unsettled.isEmpty() || round + 1 >= MAX_SETTLE_ROUNDS || System.nanoTime() - deadline >= 0) {
        return new Settled(differences, unsettled);
      }
      progress.log(unsettled.size());
      Set<String> waitFor = new HashSet<>(unsettled.keySet());
      waitFor.retainAll(check.pending().keySet());
      if (waitFor.isEmpty()) {
        delivered = Set.of();
        pause(round);
      } else {
        long newest = waitFor.stream().mapToLong(check.pending()::get).max().orElseThrow();
        Set<String> undelivered = awaitDelivery(waitFor, newest, deadline);
        waitFor.removeAll(undelivered);
        delivered = waitFor;
      }
    }
  }

  /** Checks {@code ids} again: legacy rows and undelivered changes in one transaction, then the new service. */
  private Recheck recheck(Collection<String> ids) {
    LegacyRead read = transactions.run("re-checking " + ids.size() + " keys",
        tx -> new LegacyRead(byId(tx.read(ids, RowLock.NONE)),
            OutboxTable.newestPending(tx.connection(), entity, ids)));
    Map<String, TargetDocument> copies = readNew(ids);
    List<Observation> observations = new ArrayList<>(ids.size());
    for (String id : ids) {
      observations.add(observe(id, read.rows().get(id), read.pending().containsKey(id), copies.get(id)));
    }
    return new Recheck(observations, read.pending());
  }

  /** The new service's copies of {@code ids}, by id, read in bulk; a key it lacks is absent. */
  Map<String, TargetDocument> readNew(Collection<String> ids) {
    Map<String, TargetDocument> copies = new HashMap<>();
    if (!ids.isEmpty()) {
      for (TargetDocument copy : reads.getMany(List.copyOf(ids))) {
        copies.put(copy.id(), copy);
      }
    }
    return copies;
  }

  /**
   * One wait for a batch: until no key among {@code ids} has an undelivered change up to outbox row
   * {@code throughId}, or the deadline passes.
   *
   * @return the keys among {@code ids} that still have such a change: empty unless the deadline passed
   */
  Set<String> awaitDelivery(Collection<String> ids, long throughId, long deadline) {
    Set<String> waiting = new HashSet<>(ids);
    for (int round = 0; System.nanoTime() - deadline < 0; round++) {
      Set<String> keys = waiting;
      waiting = transactions.run("waiting for " + keys.size() + " deliveries",
          tx -> OutboxTable.pendingThrough(tx.connection(), entity, keys, throughId));
      if (waiting.isEmpty()) {
        break;
      }
      progress.log(waiting.size());
      pause(round);
    }
    return waiting;
  }

  /** Pauses between re-checks: 10 ms, doubling up to 250 ms. */
  private void pause(int round) {
    long nanos = Math.min(LONGEST_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(round, 5));
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DualWriteException("verify " + entity + " interrupted; the run is kept, verify again to resume", e);
    }
  }

  /** One look at a key: its legacy row (or null), whether it has undelivered changes, and the new copy (or null). */
  Observation observe(String id, LegacyRow legacy, boolean pending, TargetDocument current) {
    if (legacy != null && current != null && legacy.payload().equals(current.data().toString())) {
      // the copy reads back as the very text legacy sends, as it does for most keys: equal without parsing legacy's
      // snapshot, which would cost more than the rest of the comparison
      return Observation.agreeing(id, legacy, pending, current);
    }
    return Observation.of(id, legacy, legacy == null ? null : snapshot(legacy), pending, current, comparison);
  }

  private JsonNode snapshot(LegacyRow row) {
    try {
      return mapper.readTree(row.payload());
    } catch (JsonProcessingException e) {
      throw new DualWriteException("verify " + entity + ": the legacy source produced a snapshot of " + row.id()
          + " that is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code rows} by id. */
  static Map<String, LegacyRow> byId(List<LegacyRow> rows) {
    Map<String, LegacyRow> byId = new HashMap<>();
    for (LegacyRow row : rows) {
      byId.put(row.id(), row);
    }
    return byId;
  }
}

package dev.dualwrite.verify.internal;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.verify.UnrepairedKey;
import dev.dualwrite.verify.VerifierConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs the real differences of a repair run: appends a fresh snapshot or tombstone per key, waits once for the
 * batch's delivery, settles the repaired keys again and gives each key that still differs its reason. Used by one
 * execution of a run on one thread; not thread-safe (its {@link SuspectSettling} is not).
 */
final class KeyRepair {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);

  private final String entity;
  private final String resource;
  private final LegacyTransactions transactions;
  private final ChangeCapture capture;
  private final SuspectSettling settling;
  private final VerifierConfig config;

  /** What repairing a batch did: how many keys were sent a repair, and those of them not repaired. */
  record Outcome(int sent, List<UnrepairedKey> unrepaired) {}

  KeyRepair(String entity, String resource, LegacyTransactions transactions, ChangeCapture capture,
      SuspectSettling settling, VerifierConfig config) {
    this.entity = entity;
    this.resource = resource;
    this.transactions = transactions;
    this.capture = capture;
    this.settling = settling;
    this.config = config;
  }

  /**
   * Appends, in one legacy transaction, a fresh snapshot for each missing or different key and a tombstone for each
   * extra key. The rows are read again in that transaction with shared locks, so what is sent is legacy's state as
   * of the append, under a version (the outbox row id) newer than anything dualwrite sent for the key, tombstones
   * included, and older than any live write that follows. Then waits once, at most the settle timeout,
   * for the batch to be delivered and settles the repaired keys again: a key that agrees is repaired, any other is
   * not repaired, with its reason (logged, up to the sample limit).
   */
  Outcome repair(List<Observation> differences) {
    List<Change> repairs = transactions.run("repairing " + differences.size() + " keys", tx -> {
      Map<String, LegacyRow> rows =
          SuspectSettling.byId(tx.read(differences.stream().map(Observation::id).toList(), RowLock.SHARED));
      List<Change> changes = new ArrayList<>();
      for (Observation difference : differences) {
        LegacyRow row = rows.get(difference.id());
        if (row != null) {
          changes.add(Change.of(entity, resource, row.id(), ChangeOperation.UPSERT, row.payload(),
              ChangeOrigin.REPAIR));
        } else if (difference.newService() != null) {
          changes.add(Change.of(entity, resource, difference.id(), ChangeOperation.DELETE, null,
              ChangeOrigin.REPAIR));
        }
      }
      return capture.append(tx.connection(), changes);
    });
    if (repairs.isEmpty()) {
      return new Outcome(0, List.of());
    }
    capture.committed(repairs);
    Map<String, Long> versions = new HashMap<>();
    for (Change repair : repairs) {
      versions.put(repair.entityId(), repair.version());
    }
    Map<String, Observation> sent = new LinkedHashMap<>();
    for (Observation difference : differences) {
      if (versions.containsKey(difference.id())) {
        sent.put(difference.id(), difference);
      }
    }
    long deadline = System.nanoTime() + config.settleTimeout().toNanos();
    Set<String> delivered = new HashSet<>(sent.keySet());
    delivered.removeAll(settling.awaitDelivery(sent.keySet(),
        versions.values().stream().mapToLong(Long::longValue).max().orElseThrow(), deadline));
    SuspectSettling.Settled settled = settling.settleTogether(sent, delivered, deadline);
    List<Long> failedRows = new ArrayList<>();
    settled.differences().forEach(d -> failedRows.add(versions.get(d.id())));
    settled.unsettled().keySet().forEach(id -> failedRows.add(versions.get(id)));
    Map<Long, OutboxTable.RowState> states = failedRows.isEmpty() ? Map.of()
        : transactions.run("reading " + failedRows.size() + " repairs in the outbox",
            tx -> OutboxTable.states(tx.connection(), failedRows));
    List<UnrepairedKey> unrepaired = new ArrayList<>();
    for (Observation still : settled.differences()) {
      long version = versions.get(still.id());
      unrepaired.add(new UnrepairedKey(still.id(), whyNotRepaired(still, version, states.get(version))));
    }
    for (String id : settled.unsettled().keySet()) {
      OutboxTable.RowState state = states.get(versions.get(id));
      unrepaired.add(new UnrepairedKey(id, state != null && state.pending()
          ? "its change was not delivered within the settle timeout (" + config.settleTimeout() + "); check that a"
              + " relay runs and delivers (dualwrite status: backlog, oldest undelivered), then verify again"
          : "it kept changing while it was checked again; verify again once its writes calm down"));
    }
    unrepaired.stream().limit(Math.max(1, config.sampleLimit()))
        .forEach(key -> log.warn("repair {}: not repaired: {}", entity, key.describe()));
    if (unrepaired.size() > Math.max(1, config.sampleLimit())) {
      log.warn("repair {}: {} of the {} keys repaired in this chunk not repaired in all", entity,
          unrepaired.size(), sent.size());
    }
    return new Outcome(sent.size(), unrepaired);
  }

  /** Why a repaired key that was delivered (or given up on) still differs, and what to do. No field values. */
  private String whyNotRepaired(Observation still, long version, OutboxTable.RowState state) {
    if (state != null && state.dead()) {
      return "its change is dead-lettered (the new service last answered "
          + (state.lastStatus() == null ? "nothing" : state.lastStatus()) + "); see the entity's dead letters"
          + " (dualwrite dead-letters list " + entity + "), fix their cause, then retry them or repair again";
    }
    if (still.newService() != null && still.newService().version() > version) {
      return "the new service holds a newer version than dualwrite's sequence (v" + still.newService().version()
          + ") and answered STALE; find what wrote that copy, remove it from the new service, then repair again";
    }
    if (still.newService() == null) {
      return "the new service still lacks it after the fresh snapshot (v" + version + ") was delivered: it holds a"
          + " tombstone with a version above dualwrite's sequence and answered STALE; remove the tombstone from the"
          + " new service, then repair again";
    }
    return "the new service accepted the repair (v" + version + ") but holds another state (v"
        + still.newService().version() + "); compare what it stores with legacy's row, or leave a field it does not"
        + " keep out with VerifierBuilder.withIgnoredFields";
  }
}

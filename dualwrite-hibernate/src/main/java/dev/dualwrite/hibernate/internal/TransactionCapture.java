package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.WriteConflictException;
import dev.dualwrite.hibernate.internal.orm.TransactionCompletion;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.phase.MigrationPhase;
import jakarta.persistence.OptimisticLockException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

/**
 * The mirrored changes of one transaction (the Envers pattern): listeners record changes here; just before the
 * transaction completes, after Hibernate's last flush, they are appended to the outbox on the transaction's own
 * connection, and the changes of entities in {@code NEW_WRITES} are written through to the new service; after a commit
 * the relay is told. A rolled-back transaction appends and tells nothing.
 *
 * <p>Each entity's phase is read once, on first touch, and kept for the whole transaction, so a write never straddles
 * two phases. Several changes of one entity instance coalesce into the last one. Used by one session's thread.
 */
final class TransactionCapture implements TransactionCompletion {
  private record Key(String entity, String id) {}

  private final ChangeCapture capture;
  private final Consumer<TransactionCapture> onCompletion;
  private final Map<String, MigrationPhase> phases = new HashMap<>();
  private final Map<Key, Change> changes = new LinkedHashMap<>();
  private List<Change> appended = List.of();

  TransactionCapture(ChangeCapture capture, Consumer<TransactionCapture> onCompletion) {
    this.capture = capture;
    this.onCompletion = onCompletion;
  }

  /** The entity's phase for this transaction: read on first use, then fixed. */
  MigrationPhase phase(String entity) {
    return phases.computeIfAbsent(entity, capture::phase);
  }

  /** Records a change; a later change of the same entity instance replaces an earlier one. */
  void record(Change change) {
    Key key = new Key(change.entity(), change.entityId());
    changes.remove(key);
    changes.put(key, change);
  }

  @Override
  public void beforeCompletion(SharedSessionContractImplementor session) {
    if (changes.isEmpty()) {
      return;
    }
    List<Change> toAppend = new ArrayList<>(changes.values());
    Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
    try {
      appended = capture.append(connection, toAppend);
    } catch (SQLException e) {
      throw new DualWriteException("cannot record " + toAppend.size() + " mirrored change(s) in dualwrite_outbox: "
          + e.getMessage() + ". The transaction is rolled back so that no change goes unmirrored; check that"
          + " dualwrite's tables exist (migrations db/migration/dualwrite/<database>/ in dualwrite-core).", e);
    }
    List<Change> authoritative = appended.stream()
        .filter(change -> phases.get(change.entity()) == MigrationPhase.NEW_WRITES).toList();
    try {
      capture.writeThrough(connection, authoritative);
    } catch (WriteConflictException e) {
      // what JPA and Spring already treat as "the row changed under you": OptimisticLockException, and Spring's
      // ObjectOptimisticLockingFailureException
      OptimisticLockException conflict = new OptimisticLockException(e.getMessage(), e);
      throw conflict;
    }
  }

  @Override
  public void afterCompletion(boolean committed) {
    try {
      if (committed && !appended.isEmpty()) {
        capture.committed(appended);
      }
    } finally {
      onCompletion.accept(this);
    }
  }
}

package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.hibernate.internal.json.SnapshotJson;
import dev.dualwrite.hibernate.internal.orm.HibernateOrm;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.phase.MigrationPhase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PreDeleteEvent;
import org.hibernate.event.spi.PreDeleteEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Hears inserts, updates and deletes of {@link dev.dualwrite.hibernate.Mirrored} entities. Before a write it fixes the
 * entity's phase for the transaction and refuses writes in {@code NEW_ONLY}; after it, it records the change in the
 * transaction's {@link TransactionCapture}. It never does I/O: the outbox rows are written before commit by the
 * capture, the network calls are the relay's. Thread-safe.
 */
final class MirrorEventListener
    implements PreInsertEventListener,
        PreUpdateEventListener,
        PreDeleteEventListener,
        PostInsertEventListener,
        PostUpdateEventListener,
        PostDeleteEventListener {
  private final Map<String, EntityMigration> migrations;
  private final SnapshotJson json;
  private final ChangeCapture capture;
  private final HibernateOrm orm;
  private final Map<String, MirroredEntity> entities = new ConcurrentHashMap<>();
  private final Map<SharedSessionContractImplementor, TransactionCapture> transactions = new ConcurrentHashMap<>();

  /**
   * @param migrations the migration of each mirrored entity, by Hibernate entity name
   * @param orm the running Hibernate ORM line, which registers each transaction's capture
   */
  MirrorEventListener(
      Map<String, EntityMigration> migrations, SnapshotJson json, ChangeCapture capture, HibernateOrm orm) {
    this.migrations = Map.copyOf(migrations);
    this.json = json;
    this.capture = capture;
    this.orm = orm;
  }

  /**
   * Builds every mirrored entity's mapping now, when the session factory starts, and checks that its snapshots can be
   * written, so that a field Jackson cannot write fails the start instead of every transaction that writes it.
   */
  void prepare(SessionFactoryImplementor factory) {
    for (String entityName : migrations.keySet()) {
      mirrored(factory.getMappingMetamodel().getEntityDescriptor(entityName)).checkSnapshotsCanBeWritten();
    }
  }

  /** The mirrored entity {@code persister} writes, or null; its mapping is built on first use from the persister. */
  private MirroredEntity mirrored(EntityPersister persister) {
    EntityMigration migration = migrations.get(persister.getEntityName());
    if (migration == null) {
      return null;
    }
    return entities.computeIfAbsent(persister.getEntityName(), n -> new MirroredEntity(persister, migration, json));
  }

  /** dualwrite's own after-commit work is the transaction capture's, not Hibernate's post-commit events. */
  @Override
  public boolean requiresPostCommitHandling(EntityPersister persister) {
    return false;
  }

  @Override
  public boolean onPreInsert(PreInsertEvent event) {
    before(event.getPersister(), event.getId(), orm.session(event));
    return false;
  }

  @Override
  public boolean onPreUpdate(PreUpdateEvent event) {
    before(event.getPersister(), event.getId(), orm.session(event));
    return false;
  }

  @Override
  public boolean onPreDelete(PreDeleteEvent event) {
    before(event.getPersister(), event.getId(), orm.session(event));
    return false;
  }

  @Override
  public void onPostInsert(PostInsertEvent event) {
    after(event.getPersister(), event.getId(), event.getState(), ChangeOperation.UPSERT, orm.session(event));
  }

  @Override
  public void onPostUpdate(PostUpdateEvent event) {
    after(event.getPersister(), event.getId(), event.getState(), ChangeOperation.UPSERT, orm.session(event));
  }

  @Override
  public void onPostDelete(PostDeleteEvent event) {
    after(event.getPersister(), event.getId(), event.getDeletedState(), ChangeOperation.DELETE, orm.session(event));
  }

  private void before(EntityPersister persister, Object id, SharedSessionContractImplementor session) {
    MirroredEntity entity = mirrored(persister);
    if (entity == null || ReverseSyncWrites.active()) {
      return;
    }
    MigrationPhase phase = transaction(entity, session).phase(entity.migration().name());
    capture.legacyWriteSeen(entity.migration().name());
    if (phase.rejectsLegacyWrites()) {
      throw new DualWriteException("write to " + entity.migration().name() + " " + id + " (entity "
          + entity.hibernateName() + ") rejected: the entity is in " + phase + " and the new service owns it."
          + " Write through the new service, or move the entity back to NEW_WRITES.");
    }
    BulkWriteGuard.enterEntityWrite();
  }

  private void after(
      EntityPersister persister,
      Object id,
      Object[] state,
      ChangeOperation operation,
      SharedSessionContractImplementor session) {
    MirroredEntity entity = mirrored(persister);
    if (entity == null || ReverseSyncWrites.active()) {
      return;
    }
    BulkWriteGuard.leaveEntityWrite();
    String name = entity.migration().name();
    TransactionCapture transaction = transaction(entity, session);
    MigrationPhase phase = transaction.phase(name);
    if (!phase.capturesLegacyWrites()) {
      return;
    }
    String payload = operation == ChangeOperation.DELETE ? null : entity.snapshot(id, state, session);
    transaction.record(Change.of(name, entity.migration().resource(), MirroredEntity.idString(id), operation,
        payload, ChangeOrigin.LIVE));
  }

  private TransactionCapture transaction(MirroredEntity entity, SharedSessionContractImplementor session) {
    TransactionCapture existing = transactions.get(session);
    if (existing != null) {
      return existing;
    }
    if (!session.isTransactionInProgress()) {
      throw new DualWriteException("write to mirrored entity '" + entity.migration().name() + "' outside a"
          + " transaction: dualwrite records the change in the same transaction as the write, so it needs one."
          + " Wrap the write in a transaction.");
    }
    TransactionCapture created = new TransactionCapture(capture, done -> {
      transactions.remove(session, done);
      BulkWriteGuard.resetEntityWrites();
    });
    transactions.put(session, created);
    orm.onCompletion(session, created);
    return created;
  }
}

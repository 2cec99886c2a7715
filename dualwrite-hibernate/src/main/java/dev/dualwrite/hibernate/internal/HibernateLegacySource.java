package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.hibernate.Mirrored;
import dev.dualwrite.hibernate.internal.json.SnapshotJson;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.LegacyTransaction;
import dev.dualwrite.legacy.LegacyWrite;
import dev.dualwrite.legacy.RowLock;
import jakarta.persistence.LockModeType;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.AbstractEntityPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.query.SelectionQuery;
import org.hibernate.type.Type;
import org.hibernate.type.descriptor.java.JavaType;

/**
 * The legacy rows of one {@link Mirrored} entity, read through Hibernate. Each row becomes the snapshot
 * the live write path sends ({@link MirroredEntity#snapshot} of {@code persister.getValues(entity)}), so a backfilled
 * or repaired snapshot is byte for byte what a live write of the same state sends. Queries are HQL with keyset
 * pagination on the id; {@link RowLock#SHARED} is {@code PESSIMISTIC_READ} ({@code FOR SHARE}, {@code LOCK IN SHARE
 * MODE}). Each transaction has its own session; rows are read through a stateless session on its connection, so that
 * memory stays bounded and no persistence context is filled. Thread-safe.
 */
public final class HibernateLegacySource implements LegacySource {
  private final SessionFactoryImplementor factory;
  private final EntityPersister persister;
  private final MirroredEntity mirrored;
  private final Class<Object> type;
  private final JavaType<?> idType;
  private final String from;
  private final String id;
  private final String byIds;
  private final String countAll;
  private final String countAfter;

  private HibernateLegacySource(SessionFactoryImplementor factory, EntityPersister persister, MirroredEntity mirrored) {
    this.factory = factory;
    this.persister = persister;
    this.mirrored = mirrored;
    @SuppressWarnings("unchecked")
    Class<Object> mappedClass = (Class<Object>) persister.getMappedClass();
    this.type = mappedClass;
    this.idType = persister.getIdentifierMapping().getJavaType();
    this.from = "from " + persister.getEntityName() + " e";
    this.id = "e." + persister.getIdentifierPropertyName();
    this.byIds = "select e " + from + " where " + id + " in (:ids)";
    this.countAll = "select count(e) " + from;
    this.countAfter = "select count(e) " + from + " where " + id + " > :after";
  }

  /**
   * The source of the entity that is {@code @Mirrored(entity)} in {@code sessionFactory}.
   *
   * @throws IllegalArgumentException naming the mirrored entities when none is {@code @Mirrored(entity)}
   * @throws DualWriteException when the session factory was not configured with {@code DualWriteHibernate.configure}
   */
  public static HibernateLegacySource of(SessionFactory sessionFactory, String entity) {
    SessionFactoryImplementor factory = sessionFactory.unwrap(SessionFactoryImplementor.class);
    Map<String, Object> settings =
        factory.getServiceRegistry().requireService(ConfigurationService.class).getSettings();
    if (!(settings.get(DualWriteSettings.INSTANCE) instanceof DualWrite dualWrite)) {
      throw new DualWriteException("the session factory has no DualWrite instance under " + DualWriteSettings.INSTANCE
          + "; configure it with DualWriteHibernate.configure(settings, dualWrite) before building it");
    }
    Map<String, EntityPersister> mirroredPersisters = new TreeMap<>();
    factory.getMappingMetamodel().forEachEntityDescriptor(p -> {
      Mirrored mirroredAs = p.getMappedClass() == null ? null : p.getMappedClass().getAnnotation(Mirrored.class);
      if (mirroredAs != null) {
        mirroredPersisters.put(mirroredAs.value(), p);
      }
    });
    EntityPersister persister = mirroredPersisters.get(entity);
    if (persister == null) {
      throw new IllegalArgumentException("no entity of this session factory is @Mirrored(\"" + entity
          + "\"); mirrored entities: " + mirroredPersisters.keySet());
    }
    EntityMigration migration = dualWrite.entity(entity);
    return new HibernateLegacySource(factory, persister,
        new MirroredEntity(persister, migration, SnapshotJson.of(settings)));
  }

  @Override
  public String entity() {
    return mirrored.migration().name();
  }

  /** Integer ids: the database orders them numerically, as the listing orders canonical decimal ids. */
  @Override
  public boolean scansInListingOrder() {
    Class<?> id = idType.getJavaTypeClass();
    return id == Long.class || id == Integer.class || id == Short.class || id == long.class || id == int.class
        || id == short.class || id == BigInteger.class;
  }

  @Override
  public <T> T inTransaction(LegacyWork<T> work) throws SQLException {
    try (Session session = factory.openSession()) {
      Transaction transaction = session.beginTransaction();
      try (HibernateTransaction tx = new HibernateTransaction(session.unwrap(SessionImplementor.class))) {
        T result = work.run(tx);
        tx.close();
        transaction.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        if (transaction.isActive()) {
          try {
            transaction.rollback();
          } catch (RuntimeException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
          }
        }
        throw e;
      }
    }
  }

  @Override
  public String toString() {
    return "HibernateLegacySource[" + entity() + " <- " + persister.getEntityName() + "]";
  }

  /**
   * One transaction, on its own session. Rows are read through a stateless session on the same connection (so in the
   * same transaction): no persistence context to fill and clear, no copy of the loaded state.
   */
  private final class HibernateTransaction implements LegacyTransaction, AutoCloseable {
    private final SessionImplementor session;
    private StatelessSession reader;

    HibernateTransaction(SessionImplementor session) {
      this.session = session;
    }

    /** The stateless session rows are read with, opened on first use (a cast: Hibernate 6.6 has no unwrap on it). */
    private SharedSessionContractImplementor reader() {
      if (reader == null) {
        reader = factory.withStatelessOptions().connection(connection()).openStatelessSession();
      }
      return (SharedSessionContractImplementor) reader;
    }

    @Override
    public void close() {
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }

    @Override
    public Connection connection() {
      return session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
    }

    @Override
    public List<LegacyRow> scan(String afterId, String upToId, int limit, RowLock lock) {
      SelectionQuery<Object> query = page(reader(), "select e ", afterId, upToId, type);
      return rows(locked(query, lock).setMaxResults(limit).setFetchSize(limit).getResultList());
    }

    /** The ids alone: an index-only scan of the id column, no entity built. */
    @Override
    public List<String> scanIds(String afterId, int limit) {
      List<Object> ids = page(reader(), "select " + id + " ", afterId, null, Object.class)
          .setMaxResults(limit).setFetchSize(limit).getResultList();
      return ids.stream().map(MirroredEntity::idString).toList();
    }

    /** A keyset page: {@code select} over the ids after {@code afterId} up to {@code upToId}, each bound optional. */
    private <R> SelectionQuery<R> page(SharedSessionContractImplementor on, String select, String afterId,
        String upToId, Class<R> result) {
      List<String> bounds = new ArrayList<>(2);
      if (afterId != null) {
        bounds.add(id + " > :after");
      }
      if (upToId != null) {
        bounds.add(id + " <= :upTo");
      }
      String where = bounds.isEmpty() ? "" : " where " + String.join(" and ", bounds);
      SelectionQuery<R> query = on.createSelectionQuery(select + from + where + " order by " + id, result);
      if (afterId != null) {
        query.setParameter("after", parseId(afterId));
      }
      if (upToId != null) {
        query.setParameter("upTo", parseId(upToId));
      }
      return query;
    }

    @Override
    public List<LegacyRow> read(Collection<String> ids, RowLock lock) {
      if (ids.isEmpty()) {
        return List.of();
      }
      List<Object> parsed = new ArrayList<>(ids.size());
      for (String id : ids) {
        try {
          parsed.add(idType.fromString(id));
        } catch (RuntimeException notAnId) {
          // no row can have it
        }
      }
      if (parsed.isEmpty()) {
        return List.of();
      }
      return rows(locked(reader().createSelectionQuery(byIds, type).setParameterList("ids", parsed), lock)
          .getResultList());
    }

    @Override
    public void upsert(String id, String snapshot) throws SQLException {
      write(List.of(new LegacyWrite(id, snapshot)));
    }

    @Override
    public void delete(String id) throws SQLException {
      write(List.of(new LegacyWrite(id, null)));
    }

    /**
     * Writes the rows as the new service holds them, through the mapping's table, columns and types: the rows that
     * exist (locked first, in one query per 500 ids) get an {@code UPDATE} of the columns their snapshot carries (the
     * {@code @Version} column too, so that legacy holds the row exactly as the service does; the write-through's
     * expected version, not Hibernate's version check, guards the monolith's writes in NEW_WRITES), the others an
     * {@code INSERT} that keeps the service's id, also when legacy generates the entity's ids (which Hibernate would
     * not keep); statements of the same shape go in one JDBC batch. A delete goes through the session, so that the
     * mapping's cascades apply. Second-level cache entries of the rows are evicted.
     */
    @Override
    public void write(List<LegacyWrite> writes) throws SQLException {
      ReverseSyncWrites.run(() -> {
        Map<Object, Map<Integer, Object>> upserts = new LinkedHashMap<>();
        for (LegacyWrite write : writes) {
          Object key = parseId(write.id());
          if (write.snapshot() == null) {
            Object entity = session.find(type, key, LockModeType.PESSIMISTIC_WRITE);
            if (entity != null) {
              session.remove(entity);
              session.flush();
            }
            session.clear();
          } else {
            upserts.put(key, mirrored.values(write.snapshot(), session));
          }
        }
        if (upserts.isEmpty()) {
          return;
        }
        AbstractEntityPersister mapped = singleTable(upserts.keySet().iterator().next());
        Set<Object> existing = lockExisting(mapped, upserts.keySet());
        Map<String, PreparedStatement> batches = new LinkedHashMap<>();
        try {
          for (Map.Entry<Object, Map<Integer, Object>> upsert : upserts.entrySet()) {
            addToBatch(mapped, upsert.getKey(), upsert.getValue(), !existing.contains(upsert.getKey()), batches);
          }
          for (PreparedStatement batch : batches.values()) {
            batch.executeBatch();
          }
        } finally {
          for (PreparedStatement batch : batches.values()) {
            batch.close();
          }
        }
        upserts.keySet().forEach(key -> factory.getCache().evict(type, key));
      });
    }

    /** Those of {@code keys} whose rows exist, locked for update until the transaction ends. */
    private Set<Object> lockExisting(AbstractEntityPersister mapped, Collection<Object> keys) throws SQLException {
      Set<Object> existing = new HashSet<>();
      List<Object> all = List.copyOf(keys);
      String idColumn = mapped.getIdentifierColumnNames()[0];
      Type idBinding = persister.getIdentifierType();
      for (int from = 0; from < all.size(); from += 500) {
        List<Object> chunk = all.subList(from, Math.min(all.size(), from + 500));
        String sql = "SELECT " + idColumn + " FROM " + mapped.getTableNames()[0] + " WHERE " + idColumn + " IN ("
            + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ") FOR UPDATE";
        try (PreparedStatement select = connection().prepareStatement(sql)) {
          for (int i = 0; i < chunk.size(); i++) {
            idBinding.nullSafeSet(select, chunk.get(i), i + 1, session);
          }
          try (java.sql.ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              existing.add(idType.fromString(rs.getString(1)));
            }
          }
        }
      }
      return existing;
    }

    /** Adds the {@code INSERT} or {@code UPDATE} of one row to the batch of its statement. */
    private void addToBatch(AbstractEntityPersister mapped, Object key, Map<Integer, Object> values, boolean insert,
        Map<String, PreparedStatement> batches) throws SQLException {
      List<String> columns = new ArrayList<>();
      List<Integer> properties = new ArrayList<>();
      Type[] types = persister.getPropertyTypes();
      int version = versionProperty();
      boolean[] writable = insert ? persister.getPropertyInsertability() : persister.getPropertyUpdateability();
      for (int i = 0; i < types.length; i++) {
        boolean seededVersion = insert && i == version;
        if ((values.containsKey(i) || seededVersion) && (writable[i] || i == version)
            && mapped.getPropertyColumnNames(i).length > 0) {
          columns.addAll(List.of(mapped.getPropertyColumnNames(i)));
          properties.add(i);
        }
      }
      if (!insert && columns.isEmpty()) {
        return;
      }
      String table = mapped.getTableNames()[0];
      String sql = insert
          ? "INSERT INTO " + table + " (" + String.join(", ", List.of(mapped.getIdentifierColumnNames())) + ", "
              + String.join(", ", columns) + ") VALUES ("
              + String.join(", ", java.util.Collections.nCopies(
                  columns.size() + mapped.getIdentifierColumnNames().length, "?")) + ")"
          : "UPDATE " + table + " SET " + String.join(" = ?, ", columns) + " = ? WHERE " + idCondition(mapped);
      PreparedStatement statement = batches.get(sql);
      if (statement == null) {
        statement = connection().prepareStatement(sql);
        batches.put(sql, statement);
      }
      int index = 1;
      if (insert) {
        persister.getIdentifierType().nullSafeSet(statement, key, index, session);
        index += mapped.getIdentifierColumnNames().length;
      }
      for (int i : properties) {
        Object value = values.containsKey(i) ? values.get(i)
            : Snapshots.fromWire(0, types[i].getReturnedClass(), mirrored.json());
        types[i].nullSafeSet(statement, value, index, session);
        index += mapped.getPropertyColumnNames(i).length;
      }
      if (!insert) {
        persister.getIdentifierType().nullSafeSet(statement, key, index, session);
      }
      statement.addBatch();
    }

    private AbstractEntityPersister singleTable(Object key) throws SQLException {
      if (!(persister instanceof AbstractEntityPersister mapped) || mapped.getTableNames().length != 1) {
        throw new SQLException("cannot write " + entity() + " " + key + " from the new service into legacy: the"
            + " entity spans several tables, which the reverse sync does not write yet");
      }
      return mapped;
    }

    private static String idCondition(AbstractEntityPersister mapped) {
      return String.join(" = ? AND ", mapped.getIdentifierColumnNames()) + " = ?";
    }

    /** The index of the entity's {@code @Version} property, or -1. */
    private int versionProperty() {
      if (persister.getVersionMapping() == null) {
        return -1;
      }
      return List.of(persister.getPropertyNames()).indexOf(persister.getVersionMapping().getVersionAttribute()
          .getAttributeName());
    }

    @Override
    public long countAfter(String afterId) {
      SelectionQuery<Long> query = afterId == null
          ? session.createSelectionQuery(countAll, Long.class)
          : session.createSelectionQuery(countAfter, Long.class).setParameter("after", parseId(afterId));
      return query.getSingleResult();
    }

    private SelectionQuery<Object> locked(SelectionQuery<Object> query, RowLock lock) {
      return lock == RowLock.SHARED ? query.setLockMode(LockModeType.PESSIMISTIC_READ) : query;
    }

    private List<LegacyRow> rows(List<Object> entities) {
      List<LegacyRow> rows = new ArrayList<>(entities.size());
      SharedSessionContractImplementor on = reader();
      for (Object entity : entities) {
        Object id = persister.getIdentifier(entity, on);
        Object[] state = persister.getValues(entity);
        rows.add(new LegacyRow(MirroredEntity.idString(id), mirrored.snapshot(id, state, on)));
      }
      return rows;
    }

    private Object parseId(String id) {
      try {
        return idType.fromString(id);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + id + "' is not an id of " + entity() + " (entity "
            + persister.getEntityName() + ", id type " + idType.getJavaTypeClass().getSimpleName() + ")", e);
      }
    }
  }
}

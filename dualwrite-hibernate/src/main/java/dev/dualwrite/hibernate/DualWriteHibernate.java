package dev.dualwrite.hibernate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.internal.BulkWriteGuard;
import dev.dualwrite.hibernate.internal.HibernateLegacySource;
import dev.dualwrite.legacy.LegacySource;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * The one call that connects a Hibernate session factory to dualwrite: put its settings into the map you build the
 * session factory (or JPA persistence unit) from.
 *
 * <pre>{@code
 * Map<String, Object> settings = new HashMap<>();
 * settings.put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
 * DualWriteHibernate.configure(settings, dualWrite);
 * EntityManagerFactory emf = new HibernatePersistenceConfiguration("app").properties(settings)...;
 * }</pre>
 *
 * <p>dualwrite's integrator is found through {@code META-INF/services}; this call hands it the {@link DualWrite}
 * instance and installs the bulk-write guard as the statement inspector (wrapping the one already set, if any).
 */
public final class DualWriteHibernate {
  private DualWriteHibernate() {}

  /**
   * Adds dualwrite's settings to {@code settings}.
   *
   * @return {@code settings}, for chaining
   * @throws IllegalArgumentException when {@code dualWrite} is null or an existing statement inspector cannot be used
   */
  public static Map<String, Object> configure(Map<String, Object> settings, DualWrite dualWrite) {
    if (dualWrite == null) {
      throw new IllegalArgumentException("dualWrite is null; build one with DualWrite.builder()");
    }
    settings.put(DualWriteSettings.INSTANCE, dualWrite);
    Object existing = settings.get(AvailableSettings.STATEMENT_INSPECTOR);
    if (!(existing instanceof BulkWriteGuard)) {
      settings.put(AvailableSettings.STATEMENT_INSPECTOR, new BulkWriteGuard(inspector(existing)));
    }
    return settings;
  }

  /**
   * The legacy rows of the entity that is {@code @Mirrored(entity)} in {@code sessionFactory}, for the backfill and the
   * verifier. Its rows are the snapshots and versions the live write path sends for the same state, byte for byte.
   *
   * <pre>{@code
   * LegacySource users = DualWriteHibernate.legacySource(sessionFactory, "users");
   * Backfill.builder(dualWrite, users).build().run();
   * Verifier.builder(dualWrite, users).build().verify();
   * }</pre>
   *
   * <p>The result is thread-safe; each transaction it runs opens its own session. To-one associations are sent as
   * the associated id, as in live writes; eager ones are still loaded by Hibernate, so prefer {@code LAZY} on mirrored
   * entities.
   *
   * @param sessionFactory a session factory configured with {@link #configure}
   * @param entity the migration entity's name, e.g. {@code users}
   * @throws IllegalArgumentException naming the mirrored entities when none is {@code @Mirrored(entity)}, or when
   *     the {@code DualWrite} instance does not configure {@code entity}
   * @throws dev.dualwrite.DualWriteException when the session factory was not configured with {@link #configure}
   */
  public static LegacySource legacySource(SessionFactory sessionFactory, String entity) {
    if (sessionFactory == null) {
      throw new IllegalArgumentException("sessionFactory is null");
    }
    return HibernateLegacySource.of(sessionFactory, entity);
  }

  private static StatementInspector inspector(Object setting) {
    if (setting == null || setting instanceof StatementInspector) {
      return (StatementInspector) setting;
    }
    try {
      Class<?> type = setting instanceof Class<?> c ? c : Class.forName(setting.toString().trim());
      return (StatementInspector) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("setting " + AvailableSettings.STATEMENT_INSPECTOR + " is '" + setting
          + "', which dualwrite cannot turn into a StatementInspector to wrap: " + e, e);
    }
  }
}

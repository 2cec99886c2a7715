package dev.dualwrite.hibernate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.internal.BulkWriteGuard;
import java.util.Map;
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

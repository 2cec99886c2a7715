package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.hibernate.BulkWritePolicy;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.hibernate.Mirrored;
import dev.dualwrite.hibernate.internal.json.SnapshotJson;
import dev.dualwrite.hibernate.internal.orm.HibernateOrm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.DuplicationStrategy;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.Join;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Table;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires dualwrite into a session factory; registered through {@code META-INF/services}. Does nothing when
 * {@code dualwrite.enabled=false}; refuses a Hibernate ORM version other than 6.6 and 7.x with a message naming it
 * ({@link HibernateOrm}); does nothing more when no entity is {@link Mirrored}; otherwise checks that every mirrored entity is
 * configured in the {@link DualWrite} instance, appends its event listener (once: a second registration is refused by
 * the duplication strategy) and arms the bulk-write guard.
 */
public final class DualWriteIntegrator implements Integrator {
  private static final Logger log = LoggerFactory.getLogger(DualWriteIntegrator.class);

  @Override
  public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor factory) {
    Map<String, Object> settings =
        bootstrapContext.getServiceRegistry().requireService(ConfigurationService.class).getSettings();
    if ("false".equalsIgnoreCase(String.valueOf(settings.get(DualWriteSettings.ENABLED)))) {
      log.info("dualwrite: disabled by {}=false; nothing is mirrored", DualWriteSettings.ENABLED);
      return;
    }
    HibernateOrm orm = HibernateOrm.running();
    Map<String, String> mirroredClasses = new LinkedHashMap<>();
    for (PersistentClass binding : metadata.getEntityBindings()) {
      Class<?> type = binding.getMappedClass();
      Mirrored mirrored = type == null ? null : type.getAnnotation(Mirrored.class);
      if (mirrored != null) {
        mirroredClasses.put(binding.getEntityName(), mirrored.value());
      }
    }
    if (mirroredClasses.isEmpty()) {
      return;
    }
    DualWrite dualWrite = instance(settings, mirroredClasses);
    ChangeCapture capture = ChangeCapture.of(dualWrite);
    SnapshotJson json = SnapshotJson.of(settings);

    Map<String, EntityMigration> migrations = new HashMap<>();
    Map<String, String> entityByTable = new HashMap<>();
    for (PersistentClass binding : metadata.getEntityBindings()) {
      String name = mirroredClasses.get(binding.getEntityName());
      if (name == null) {
        continue;
      }
      if (!capture.isConfigured(name)) {
        throw new DualWriteException("entity " + binding.getEntityName() + " is @Mirrored(\"" + name
            + "\") but the DualWrite instance has no entity '" + name + "'; configured: "
            + dualWrite.entities().stream().map(e -> e.name()).toList() + ". Add withEntity(EntityMigration.builder(\""
            + name + "\").build()) to its builder.");
      }
      if (binding.getIdentifierProperty() == null) {
        throw new DualWriteException("entity " + binding.getEntityName() + " is @Mirrored(\"" + name + "\") but has"
            + " no single identifier property; dualwrite mirrors entities with one @Id (no @IdClass or embedded id"
            + " yet)");
      }
      migrations.put(binding.getEntityName(), capture.entity(name));
      for (Table table : binding.getTableClosure()) {
        entityByTable.put(table.getName().replaceAll("[\"`]", "").toLowerCase(Locale.ROOT), name);
      }
      for (Join join : binding.getJoins()) {
        entityByTable.put(join.getTable().getName().replaceAll("[\"`]", "").toLowerCase(Locale.ROOT), name);
      }
    }

    MirrorEventListener listener = new MirrorEventListener(migrations, json, capture, orm);
    List<HibernateLegacySource> legacySources = new ArrayList<>();
    factory.addObserver(new SessionFactoryObserver() {
      @Override
      public void sessionFactoryCreated(SessionFactory created) {
        listener.prepare(created.unwrap(SessionFactoryImplementor.class));
        // the rows the reverse sync of NEW_WRITES writes the new service's changes into
        for (String entity : new TreeSet<>(mirroredClasses.values())) {
          HibernateLegacySource source = HibernateLegacySource.of(created, entity);
          capture.attach(source);
          legacySources.add(source);
        }
      }

      @Override
      public void sessionFactoryClosing(SessionFactory closing) {
        legacySources.forEach(capture::detach);
      }
    });
    EventListenerRegistry registry = factory.getEventEngine().getListenerRegistry();
    registry.addDuplicationStrategy(new DuplicationStrategy() {
      @Override
      public boolean areMatch(Object added, Object existing) {
        return added instanceof MirrorEventListener && existing instanceof MirrorEventListener;
      }

      @Override
      public Action getAction() {
        return Action.KEEP_ORIGINAL;
      }
    });
    registry.appendListeners(EventType.PRE_INSERT, listener);
    registry.appendListeners(EventType.PRE_UPDATE, listener);
    registry.appendListeners(EventType.PRE_DELETE, listener);
    registry.appendListeners(EventType.POST_INSERT, listener);
    registry.appendListeners(EventType.POST_UPDATE, listener);
    registry.appendListeners(EventType.POST_DELETE, listener);

    BulkWritePolicy policy = bulkWritePolicy(settings.get(DualWriteSettings.BULK_WRITES));
    Object inspector = settings.get(AvailableSettings.STATEMENT_INSPECTOR);
    if (inspector instanceof BulkWriteGuard guard) {
      // MySQL and MariaDB read a backslash in a string literal as an escape; the guard's SQL parser must do the same
      guard.arm(entityByTable, capture, policy, metadata.getDatabase().getDialect() instanceof MySQLDialect);
    } else {
      log.warn("dualwrite: the bulk-write guard is not installed, so bulk JPQL/HQL and native writes to mirrored"
          + " tables {} are not detected. Configure Hibernate with DualWriteHibernate.configure(settings, dualWrite).",
          entityByTable.keySet());
    }
    log.info("dualwrite: mirroring {} on {}, snapshots by {} (bulk writes: {})", mirroredClasses, orm, json, policy);
  }

  /** Nothing to undo: the listeners and the guard go with the session factory. */
  @Override
  public void disintegrate(SessionFactoryImplementor factory, SessionFactoryServiceRegistry registry) {}

  private static DualWrite instance(Map<String, Object> settings, Map<String, String> mirrored) {
    Object instance = settings.get(DualWriteSettings.INSTANCE);
    if (instance instanceof DualWrite dualWrite) {
      return dualWrite;
    }
    throw new DualWriteException("entities " + mirrored.keySet() + " are @Mirrored but Hibernate setting "
        + DualWriteSettings.INSTANCE + " holds " + (instance == null ? "nothing" : "a " + instance.getClass().getName())
        + " instead of the DualWrite instance. Call DualWriteHibernate.configure(settings, dualWrite) before building"
        + " the session factory, or set " + DualWriteSettings.ENABLED + "=false to run without mirroring.");
  }

  static BulkWritePolicy bulkWritePolicy(Object setting) {
    if (setting == null) {
      return BulkWritePolicy.REJECT;
    }
    if (setting instanceof BulkWritePolicy policy) {
      return policy;
    }
    try {
      return BulkWritePolicy.valueOf(setting.toString().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new DualWriteException("setting " + DualWriteSettings.BULK_WRITES + " is '" + setting
          + "'; allowed: reject or warn");
    }
  }
}

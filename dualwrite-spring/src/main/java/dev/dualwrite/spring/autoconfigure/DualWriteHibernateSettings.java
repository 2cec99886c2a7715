package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.BulkWritePolicy;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.hibernate.DualWriteSettings;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What dualwrite puts into the settings of the Hibernate {@code EntityManagerFactory} that Spring Boot builds. Each
 * Spring Boot line has its own {@code HibernatePropertiesCustomizer} type; the starter of each line (dualwrite-spring
 * for Spring Boot 4, dualwrite-spring-boot3 for 3.5) registers one that hands its settings to {@link #applyTo}.
 * Immutable and thread-safe.
 */
public final class DualWriteHibernateSettings {
  private final Consumer<Map<String, Object>> apply;

  private DualWriteHibernateSettings(Consumer<Map<String, Object>> apply) {
    this.apply = apply;
  }

  /**
   * Mirroring on: {@link DualWriteHibernate#configure} puts the instance and the bulk-write guard into the settings,
   * with {@code dualwrite.bulk_writes} and, when not null, the application's JSON mapper as
   * {@code dualwrite.object_mapper}.
   *
   * @param snapshotMapper a Jackson 2 or Jackson 3 mapper, or null for dualwrite's own
   */
  static DualWriteHibernateSettings enabled(DualWrite dualWrite, BulkWritePolicy bulkWrites, Object snapshotMapper) {
    return new DualWriteHibernateSettings(settings -> {
      DualWriteHibernate.configure(settings, dualWrite);
      settings.put(DualWriteSettings.BULK_WRITES, bulkWrites);
      if (snapshotMapper != null) {
        settings.put(DualWriteSettings.OBJECT_MAPPER, snapshotMapper);
      }
    });
  }

  /** Mirroring off: Hibernate's {@code dualwrite.enabled} is {@code false}, so the integrator stands down. */
  static DualWriteHibernateSettings disabled() {
    return new DualWriteHibernateSettings(settings -> settings.put(DualWriteSettings.ENABLED, "false"));
  }

  /** Adds dualwrite's settings to those of the entity manager factory being built. */
  public void applyTo(Map<String, Object> settings) {
    apply.accept(settings);
  }
}

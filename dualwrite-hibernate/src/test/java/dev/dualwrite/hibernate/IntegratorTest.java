package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.event.spi.EventType;

/** How dualwrite's integrator joins a session factory, and how it refuses a broken setup. */
class IntegratorTest {

  private static Map<String, Object> settings(TestDatabase db) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(AvailableSettings.DATASOURCE, db.dataSource());
    settings.put(AvailableSettings.HBM2DDL_AUTO, "create-drop");
    return settings;
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void itRegistersItsListenerOncePerEventType(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      for (EventType<?> type : new EventType<?>[] {EventType.PRE_INSERT, EventType.POST_INSERT,
          EventType.POST_UPDATE, EventType.POST_DELETE}) {
        long ours = StreamSupport.stream(app.sessions.unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class)
                .getEventEngine().getListenerRegistry().getEventListenerGroup(type).listeners().spliterator(), false)
            .filter(l -> l.getClass().getName().startsWith("dev.dualwrite.")).count();
        assertThat(ours).as(type.eventName()).isEqualTo(1);
      }
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void theEnabledSettingSwitchesMirroringOff(TestDatabase db) {
    MirrorFixture.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null, b -> b,
        Map.of(DualWriteSettings.ENABLED, "false"))) {
      app.moveTo("users", DUAL_WRITE);
      app.sessions.inTransaction(s -> s.persist(new User(1, "off@example.com", "Off")));
      assertThat(app.outboxRows("users")).isZero();
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void startupFailsWhenMirroredEntitiesHaveNoDualWriteInstance(TestDatabase db) {
    assertThatThrownBy(() -> MirrorFixture.sessionFactory(settings(db)).close())
        .hasStackTraceContaining("are @Mirrored but Hibernate setting dualwrite.instance holds nothing")
        .hasStackTraceContaining("DualWriteHibernate.configure(settings, dualWrite)");
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void startupFailsWhenAMirroredEntityIsNotConfigured(TestDatabase db) {
    MirrorFixture.reset(db);
    try (DualWrite onlyUsers = DualWrite.builder().withDataSource(db.dataSource())
        .withEntity(EntityMigration.builder("users").build()).build()) {
      Map<String, Object> settings = DualWriteHibernate.configure(settings(db), onlyUsers);
      assertThatThrownBy(() -> {
        try (SessionFactory ignored = MirrorFixture.sessionFactory(settings)) {
          // not reached
        }
      }).hasStackTraceContaining("\") but the DualWrite instance has no entity '")
          .hasStackTraceContaining("; configured: [users]. Add withEntity(EntityMigration.builder(\"");
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void aBadBulkWritePolicyIsNamed(TestDatabase db) {
    MirrorFixture.reset(db);
    assertThatThrownBy(() -> MirrorFixture.start(db, null, b -> b, Map.of(DualWriteSettings.BULK_WRITES, "ignore")))
        .hasStackTraceContaining("setting dualwrite.bulk_writes is 'ignore'; allowed: reject or warn");
  }
}

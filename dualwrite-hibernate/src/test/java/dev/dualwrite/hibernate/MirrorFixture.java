package dev.dualwrite.hibernate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteBuilder;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.entities.Alias;
import dev.dualwrite.hibernate.entities.Audit;
import dev.dualwrite.hibernate.entities.Gadget;
import dev.dualwrite.hibernate.entities.Login;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.Shipment;
import dev.dualwrite.hibernate.entities.Team;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.relay.RelayConfigBuilder;
import dev.dualwrite.test.db.TestDatabase;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.RetryPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * A monolith in a test: dualwrite configured for users, notes, gadgets, logins, aliases and shipments over a real
 * database, and a Hibernate session factory with the test entities, wired through {@link DualWriteHibernate#configure}.
 */
final class MirrorFixture implements AutoCloseable {
  /** Quick retries for tests: 20 ms growing to 200 ms, many attempts. */
  static final RetryPolicy<Object> QUICK_RETRIES =
      RetryPolicy.builder().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).withMaxAttempts(200).build();

  /** Retries that give up soon: 3 attempts, 10 ms apart. */
  static final RetryPolicy<Object> FEW_RETRIES =
      RetryPolicy.builder().withDelay(Duration.ofMillis(10)).withMaxAttempts(3).build();

  /**
   * A relay that polls often, whose circuit breaker recovers quickly, and that keeps delivered changes in the outbox
   * (the tests read them back: what was committed, with which version and origin).
   */
  static final RelayConfig QUICK_RELAY = quickRelay().build();

  static RelayConfigBuilder quickRelay() {
    return RelayConfig.builder()
        .withPollInterval(Duration.ofMillis(50))
        .withDeliveredRetention(Duration.ofMinutes(10))
        .withCircuitBreaker(CircuitBreaker.builder().withFailureThreshold(5).withDelay(Duration.ofMillis(200))
            .build());
  }

  final TestDatabase db;
  final DualWrite dualWrite;
  final SessionFactory sessions;

  private MirrorFixture(TestDatabase db, DualWrite dualWrite, SessionFactory sessions) {
    this.db = db;
    this.dualWrite = dualWrite;
    this.sessions = sessions;
  }

  /** A node whose relay delivers to {@code targetUrl} (none when null), with quick retries. */
  static MirrorFixture start(TestDatabase db, String targetUrl) {
    return start(db, targetUrl, b -> b, Map.of());
  }

  /**
   * A node whose relay delivers to {@code targetUrl} (none when null); {@code customise} may change the dualwrite
   * configuration, {@code hibernateSettings} adds Hibernate settings.
   */
  static MirrorFixture start(
      TestDatabase db, String targetUrl, UnaryOperator<DualWriteBuilder> customise, Map<String, Object> extra) {
    DualWriteSchema.createIfMissing(db.dataSource());
    DualWriteBuilder builder = node(db);
    if (targetUrl != null) {
      builder.withTargetUrl(targetUrl);
    }
    DualWrite dualWrite = customise.apply(builder).build();
    Map<String, Object> settings = new HashMap<>(extra);
    settings.put(AvailableSettings.DATASOURCE, db.dataSource());
    settings.put(AvailableSettings.HBM2DDL_AUTO, "create-drop");
    DualWriteHibernate.configure(settings, dualWrite);
    return new MirrorFixture(db, dualWrite, sessionFactory(settings));
  }

  /** A Hibernate session factory with the test entities. */
  static SessionFactory sessionFactory(Map<String, Object> settings) {
    StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(settings).build();
    MetadataSources sources = new MetadataSources(registry)
        .addAnnotatedClass(User.class)
        .addAnnotatedClass(Team.class)
        .addAnnotatedClass(Note.class)
        .addAnnotatedClass(Audit.class)
        .addAnnotatedClass(Gadget.class)
        .addAnnotatedClass(Login.class)
        .addAnnotatedClass(Alias.class)
        .addAnnotatedClass(Shipment.class);
    return sources.buildMetadata().buildSessionFactory();
  }

  /**
   * Another monolith node over the same database that only relays (no session factory of its own, so the entity
   * tables are left alone), with the same entities as {@link #start}.
   */
  static DualWrite relayNode(TestDatabase db, UnaryOperator<DualWriteBuilder> customise) {
    return customise.apply(node(db)).build();
  }

  /**
   * The test monolith's dualwrite configuration: users (email sensitive), notes, gadgets (few retries), logins and
   * aliases (natural text ids), and shipments (values more precise in Java than in their columns).
   */
  private static DualWriteBuilder node(TestDatabase db) {
    return node(db.dataSource());
  }

  /** The test monolith's dualwrite configuration over {@code dataSource}, e.g. an in-memory H2 database. */
  static DualWriteBuilder node(DataSource dataSource) {
    return DualWrite.builder()
        .withDataSource(dataSource)
        .withEntity(EntityMigration.builder("users").withSensitiveFields("email").withRetryPolicy(QUICK_RETRIES)
            .build())
        .withEntity(EntityMigration.builder("notes").withRetryPolicy(QUICK_RETRIES).build())
        .withEntity(EntityMigration.builder("gadgets").withRetryPolicy(FEW_RETRIES).build())
        .withEntity(EntityMigration.builder("logins").withRetryPolicy(QUICK_RETRIES).build())
        .withEntity(EntityMigration.builder("aliases").withRetryPolicy(QUICK_RETRIES).build())
        .withEntity(EntityMigration.builder("shipments").withRetryPolicy(QUICK_RETRIES).build())
        .withPhaseStaleness(Duration.ofMillis(100))
        .withRelay(QUICK_RELAY);
  }

  /** Removes everything dualwrite and the entities stored, so each test starts empty. */
  static void reset(TestDatabase db) {
    DualWriteSchema.createIfMissing(db.dataSource());
    db.execute("DELETE FROM dualwrite_outbox", "DELETE FROM dualwrite_phase", "DELETE FROM dualwrite_phase_history",
        "DELETE FROM dualwrite_reverse_sync", "DELETE FROM dualwrite_legacy_versions",
        "DELETE FROM dualwrite_reverse_dead_letters");
  }

  void moveTo(String entity, MigrationPhase phase) {
    dualWrite.phases().forceMove(entity, phase, "test", "test setup");
  }

  /** Rows in the outbox for {@code entity}, any status. */
  long outboxRows(String entity) {
    return count("SELECT COUNT(*) FROM dualwrite_outbox WHERE entity = '" + entity + "'");
  }

  long count(String sql) {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    sessions.close();
    dualWrite.close();
  }
}

package dev.dualwrite.samples.plain;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * dualwrite with plain Hibernate: a monolith on H2 mirrors its users to the new service at the URL given as the
 * first argument (default {@code http://127.0.0.1:8081/mirror}, the sample user service).
 */
public final class PlainHibernateSample {

  /** Runs the sample against the user service at {@code args[0]}. */
  public static void main(String[] args) {
    String serviceUrl = args.length > 0 ? args[0] : "http://127.0.0.1:8081/mirror";
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:plain-sample;DB_CLOSE_DELAY=-1");
    System.out.println(run(h2, serviceUrl));
  }

  /**
   * Creates users before mirroring, starts mirroring, changes and deletes users, backfills the users that existed
   * before, verifies both stores, and returns the verification's summary line and what the new service holds for
   * user 1.
   */
  public static String run(DataSource dataSource, String serviceUrl) {
    // 1. dualwrite: where its tables live, which entities migrate, where the new service is
    try (DualWrite dualWrite = DualWrite.builder()
            .withDataSource(dataSource)
            .withSchemaAutoCreate(true)
            .withEntity(EntityMigration.builder("users").withSensitiveFields("email").build())
            .withTargetUrl(serviceUrl)
            .build();
        // 2. Hibernate, with dualwrite's settings added
        SessionFactory sessions = sessionFactory(dataSource, dualWrite)) {

      // 3. the monolith's data before the migration: users are in LEGACY_ONLY, nothing is mirrored
      sessions.inTransaction(s -> {
        User ada = new User(1, "Ada", "ada@example.com");
        s.persist(ada);
        s.persist(new User(2, "Grace", "grace@example.com"));
        s.persist(new Order(1, ada, 4200));
      });

      // 4. a tech lead starts mirroring users
      dualWrite.phases().move("users", MigrationPhase.DUAL_WRITE, "sample", "start mirroring users");

      // 5. the monolith goes on as before; from now on every committed change of a user is mirrored
      sessions.inTransaction(s -> s.find(User.class, 1L).setEmail("ada@lovelace.org"));
      sessions.inTransaction(s -> s.remove(s.find(User.class, 2L)));
      sessions.inTransaction(s -> s.persist(new User(3, "Linus", "linus@example.com")));

      // 6. the backfill copies the users that existed before mirroring; the verifier compares both stores
      LegacySource users = DualWriteHibernate.legacySource(sessions, "users");
      Backfill.builder(dualWrite, users).build().run();
      VerificationReport report = Verifier.builder(dualWrite, users).build().verify();

      try (TargetClient service = HttpTargetClient.builder(serviceUrl).build()) {
        return report.summary() + "; the user service holds users/1: "
            + service.get("users", "1").orElseThrow().data();
      }
    }
  }

  static SessionFactory sessionFactory(DataSource dataSource, DualWrite dualWrite) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(AvailableSettings.DATASOURCE, dataSource);
    settings.put(AvailableSettings.HBM2DDL_AUTO, "create-drop");
    DualWriteHibernate.configure(settings, dualWrite);
    return new MetadataSources(new StandardServiceRegistryBuilder().applySettings(settings).build())
        .addAnnotatedClass(User.class)
        .addAnnotatedClass(Order.class)
        .buildMetadata()
        .buildSessionFactory();
  }

  private PlainHibernateSample() {}
}

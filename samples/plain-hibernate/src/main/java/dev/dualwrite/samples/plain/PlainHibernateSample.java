package dev.dualwrite.samples.plain;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.phase.MigrationPhase;
import java.time.Duration;
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
   * Creates, changes and deletes users with mirroring on, waits for the relay, and returns what the new service
   * holds for user 1.
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

      // 3. a tech lead starts mirroring users
      dualWrite.phases().move("users", MigrationPhase.DUAL_WRITE, "sample", "start mirroring users");

      // 4. the monolith goes on as before
      sessions.inTransaction(s -> {
        User ada = new User(1, "Ada", "ada@example.com");
        s.persist(ada);
        s.persist(new User(2, "Grace", "grace@example.com"));
        s.persist(new Order(1, ada, 4200));
      });
      sessions.inTransaction(s -> s.find(User.class, 1L).setEmail("ada@lovelace.org"));
      sessions.inTransaction(s -> s.remove(s.find(User.class, 2L)));

      // 5. the relay delivers in the background; wait for it here only to show the result
      if (!dualWrite.relay().drain(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the user service at " + serviceUrl + " did not take the changes in time; "
            + dualWrite.mirrorStats("users"));
      }
      return "user service holds users/1: " + dualWrite.targetClient().get("users", "1").orElseThrow().data()
          + "; users/2 deleted: " + dualWrite.targetClient().get("users", "2").isEmpty();
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

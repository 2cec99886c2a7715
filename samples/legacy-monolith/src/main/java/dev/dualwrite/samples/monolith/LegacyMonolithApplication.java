package dev.dualwrite.samples.monolith;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.read.IgnoreRule;
import dev.dualwrite.read.ReadRouter;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The legacy monolith of the samples: users and orders in its own database, on Spring Boot with JPA. Users are being
 * moved to the user service; dualwrite's Spring Boot starter mirrors them, configured in
 * {@code application.properties}. Tech leads move phases through the Actuator endpoint {@code dualwrite}.
 */
@SpringBootApplication
public class LegacyMonolithApplication {

  public static void main(String[] args) {
    SpringApplication.run(LegacyMonolithApplication.class, args);
  }

  /** Routes user reads by the phase of {@code users}; its counters show on the endpoint and as meters. */
  @Bean
  ReadRouter userReads(DualWrite dualWrite) {
    return ReadRouter.builder(dualWrite, "users")
        .withIgnoreRule(IgnoreRule.failures())   // compare data, not availability: an outage is no mismatch
        .build();
  }

  /** The users' rows as the backfill and the verifier read them, for a tech lead's tooling and for tests. */
  @Bean
  LegacySource userRows(EntityManagerFactory entityManagerFactory) {
    return DualWriteHibernate.legacySource(entityManagerFactory.unwrap(SessionFactory.class), "users");
  }
}

package dev.dualwrite.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.spring.app.Customer;
import dev.dualwrite.spring.app.CustomerRepository;
import dev.dualwrite.spring.app.MonolithApplication;
import dev.dualwrite.spring.app.Tier;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.service.ReferenceMirrorService;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfigureDualWrite} on a {@code @SpringBootTest}: the reference service runs before the context, its URL
 * is {@code dualwrite.target.url} (over the one the test's properties give), the service is a bean, the monolith
 * mirrors to it and both stores agree. On both Spring Boot lines.
 */
@SpringBootTest(
    classes = MonolithApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
        "spring.datasource.url=jdbc:h2:mem:auto-configure-dualwrite;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=create-drop",
        "dualwrite.schema.auto-create=true",
        "dualwrite.relay.poll-interval=50ms",
        "dualwrite.target.url=http://127.0.0.1:9/not-the-test-service"})
@AutoConfigureDualWrite
class AutoConfigureDualWriteTest {
  @Autowired ReferenceMirrorService service;
  @Autowired DualWrite dualWrite;
  @Autowired CustomerRepository customers;
  @Autowired EntityManagerFactory entityManagerFactory;
  @Autowired Environment environment;
  @Autowired ConfigurableApplicationContext context;

  @Test
  void theApplicationMirrorsToTheServiceStartedForItsContext() {
    assertThat(environment.getProperty("dualwrite.target.url")).isEqualTo(service.baseUrl())
        .startsWith("http://127.0.0.1:");

    dualWrite.phases().move("customers", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
    Customer ada = customers.save(new Customer("Ada", "ada@example.com", Tier.GOLD));

    DualWriteAssertions.assertStoresAgree(dualWrite,
        DualWriteHibernate.legacySource(entityManagerFactory.unwrap(SessionFactory.class), "customers"));
    assertThat(service.document("customers", ada.getId().toString())).isPresent();
  }

  @Test
  void theServiceIsOneBeanOfTheContextAndStopsWithIt() {
    assertThat(context.getBeansOfType(ReferenceMirrorService.class)).containsOnlyKeys(
        "dualWriteReferenceMirrorService");
  }
}

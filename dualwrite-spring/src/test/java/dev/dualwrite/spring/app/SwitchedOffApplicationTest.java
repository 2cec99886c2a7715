package dev.dualwrite.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWrite;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** With {@code dualwrite.enabled=false} the monolith runs as if dualwrite were not there, {@code @Mirrored} or not. */
class SwitchedOffApplicationTest {

  @Test
  void mirroredEntitiesArePlainEntitiesAndNoDualWriteBeanExists() {
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MonolithApplication.class).run(
        "--spring.main.banner-mode=off",
        "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
        "--server.port=0",
        "--dualwrite.enabled=false",
        "--dualwrite.target.url=http://127.0.0.1:9/mirror")) {
      assertThat(app.getBeanNamesForType(DualWrite.class)).isEmpty();
      CustomerRepository customers = app.getBean(CustomerRepository.class);
      customers.save(new Customer("Ada", "ada@example.com", Tier.GOLD));
      assertThat(customers.setEveryTier(Tier.BASIC)).as("no bulk-write guard either").isEqualTo(1);
    }
  }
}

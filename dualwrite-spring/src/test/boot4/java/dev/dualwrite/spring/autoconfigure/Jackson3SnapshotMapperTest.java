package dev.dualwrite.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.spring.SpringBootLine;
import dev.dualwrite.spring.app.Customer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;
import tools.jackson.databind.json.JsonMapper;

/** On Spring Boot 4 the application's Jackson 3 {@link JsonMapper} writes the snapshots. */
class Jackson3SnapshotMapperTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpringBootLine.DATA_SOURCE_AUTO_CONFIGURATION,
          DualWriteAutoConfiguration.class, DualWriteHibernateAutoConfiguration.class, SpringBootLine.HIBERNATE_ADAPTER))
      .withBean(PersistenceManagedTypes.class, () -> PersistenceManagedTypes.of(Customer.class.getName()))
      .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
          "dualwrite.schema.auto-create=true");

  @Test
  void theApplicationsJsonMapperGoesToHibernate() {
    JsonMapper mapper = JsonMapper.builder().build();
    runner.withBean(JsonMapper.class, () -> mapper).run(context -> {
      Map<String, Object> settings = new HashMap<>();
      SpringBootLine.customizeHibernate(context, settings);
      assertThat(settings).containsEntry(DualWriteSettings.OBJECT_MAPPER, mapper);
    });
  }

  @Test
  void withBothJacksonLinesTheJackson3MapperIsTaken() {
    JsonMapper jackson3 = JsonMapper.builder().build();
    runner.withBean(JsonMapper.class, () -> jackson3).withBean(ObjectMapper.class, ObjectMapper::new).run(context -> {
      Map<String, Object> settings = new HashMap<>();
      SpringBootLine.customizeHibernate(context, settings);
      assertThat(settings).containsEntry(DualWriteSettings.OBJECT_MAPPER, jackson3);
    });
  }
}

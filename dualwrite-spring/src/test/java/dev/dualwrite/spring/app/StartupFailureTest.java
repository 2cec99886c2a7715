package dev.dualwrite.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What a developer sees when dualwrite cannot start: Spring Boot's failure report, naming the refused property or the
 * missing table and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

  @Test
  void refusedPropertyIsReportedWithItsNameValueAndReason(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(MonolithApplication.class).run(
        "--spring.main.banner-mode=off",
        "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
        "--server.port=0",
        "--dualwrite.schema.auto-create=true",
        "--dualwrite.entities.customers.canary-percent=150"))
        .hasRootCauseMessage("Property dualwrite.entities.customers.canary-percent with value '150.0' is invalid:"
            + " canaryPercent of entity 'customers' is 150.0; allowed: a percentage from 0 to 100");
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains("Invalid value '150' for configuration property 'dualwrite.entities.customers.canary-percent'")
        .contains("canaryPercent of entity 'customers' is 150.0; allowed: a percentage from 0 to 100");
  }

  @DatabaseTest
  void missingTablesAreReportedWithTheThreeWaysToCreateThem(TestDatabase db, CapturedOutput output) {
    db.execute("DROP TABLE IF EXISTS dualwrite_phase");
    assertMissingTableReport(output, "--spring.datasource.url=" + db.jdbcUrl());
  }

  @Test
  void missingTablesAreReportedOnH2Too(CapturedOutput output) {
    assertMissingTableReport(output, "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID());
  }

  private static void assertMissingTableReport(CapturedOutput output, String dataSource) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(MonolithApplication.class).run(
        "--spring.main.banner-mode=off", dataSource, "--server.port=0"));
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .containsPattern("dualwrite's table dualwrite_phase does not exist in the application's database \\(.*"
            + "(?i:dualwrite_phase).*\\)\\. dualwrite keeps its phases and its outbox there")
        .contains("Create dualwrite's tables in one of three ways:\n"
            + "  1. Flyway: migrate classpath:db/migration/dualwrite/<database> (postgresql, mysql, mariadb or h2)"
            + " with a history table of its own (table dualwrite_schema_history, baseline version 0), before the"
            + " EntityManagerFactory starts.\n"
            + "  2. Liquibase: include db/changelog/dualwrite/changelog.xml from your changelog"
            + " (<include file=\"db/changelog/dualwrite/changelog.xml\"/>).\n"
            + "  3. In demos and tests only: set dualwrite.schema.auto-create=true.");
  }
}

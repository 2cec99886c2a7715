package dev.dualwrite.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What a developer sees when a dualwrite property is refused: Spring Boot's failure report, naming the property. */
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
}

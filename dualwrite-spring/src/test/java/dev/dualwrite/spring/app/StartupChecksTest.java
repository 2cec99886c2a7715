package dev.dualwrite.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.spring.diagnostics.UnknownPropertyException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What start-up says about {@code dualwrite.target}: a warning naming {@code dualwrite.target.url} when entities are
 * mirrored but this node delivers nothing, and a refusal of a property dualwrite does not know under it.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupChecksTest {

  @Test
  void withoutATargetUrlStartUpWarnsNamingTheProperty(CapturedOutput output) {
    try (ConfigurableApplicationContext app = start()) {
      assertThat(app.isRunning()).isTrue();
    }
    assertThat(output.getOut() + output.getErr()).containsPattern(
        "WARN .*dualwrite: dualwrite.target.url is not set, so this node delivers nothing: changes of \\[customers\\]"
            + " wait in the outbox until a node with dualwrite.target.url delivers them \\(none is mirrored yet\\)."
            + " Set dualwrite.target.url to the new service's mirror-protocol base URL, e.g."
            + " http://user-service:8081/mirror; on a node that should not deliver, set"
            + " dualwrite.relay.enabled=false.");
  }

  @Test
  void aNodeThatDeliberatelyDoesNotDeliverIsNotWarnedAbout(CapturedOutput output) {
    try (ConfigurableApplicationContext app = start("--dualwrite.relay.enabled=false")) {
      assertThat(app.isRunning()).isTrue();
    }
    assertThat(output.getOut() + output.getErr())
        .contains("dualwrite: migrating [customers]; dualwrite.relay.enabled=false, so this node does not deliver")
        .doesNotContain("dualwrite.target.url is not set");
  }

  @Test
  void aTypoUnderDualwriteTargetIsRefusedNamingTheValidProperties(CapturedOutput output) {
    assertThatThrownBy(() -> start("--dualwrite.target.uri=http://127.0.0.1:9/mirror"))
        .rootCause().isInstanceOf(UnknownPropertyException.class)
        .hasMessageStartingWith("unknown property dualwrite.target.uri (from ")
        .hasMessageEndingWith(": dualwrite.target takes url, bearer-token, connect-timeout, call-timeout; did you"
            + " mean dualwrite.target.url?");
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .containsPattern("The property dualwrite.target.uri \\(from .*\\) is not one of dualwrite's: dualwrite.target"
            + " takes url, bearer-token, connect-timeout, call-timeout\\. dualwrite refuses it rather than ignore it\\.")
        .contains("Rename it to dualwrite.target.url (the properties are listed in docs/configuration.md), or"
            + " remove it.");
  }

  @Test
  void everyRelaxedFormOfAKnownPropertyIsAccepted() {
    try (ConfigurableApplicationContext app = start(
        "--dualwrite.target.bearerToken=secret", "--dualwrite.target.connect_timeout=3s",
        "--dualwrite.target.CALL-TIMEOUT=5s")) {
      assertThat(app.isRunning()).isTrue();
    }
  }

  @Test
  void aPropertyBelowAKnownOneIsRefusedToo() {
    assertThatThrownBy(() -> start("--dualwrite.target.url.host=127.0.0.1"))
        .rootCause().isInstanceOf(UnknownPropertyException.class)
        .hasMessageStartingWith("unknown property dualwrite.target.url.host");
  }

  private static ConfigurableApplicationContext start(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.main.banner-mode=off",
        "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
        "--spring.jpa.hibernate.ddl-auto=create-drop",
        "--server.port=0",
        "--dualwrite.schema.auto-create=true"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(MonolithApplication.class).run(args.toArray(String[]::new));
  }
}

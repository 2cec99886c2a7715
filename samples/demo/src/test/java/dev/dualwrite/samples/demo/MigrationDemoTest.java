package dev.dualwrite.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo in its quick mode: every step happens, and it ends with a clean verification and exit code 0. */
class MigrationDemoTest {

  @Test
  void walksUsersThroughThePhasesThroughAnOutageAndEndsWithBothStoresAgreeing() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      exitCode = MigrationDemo.run(Pace.QUICK, out);
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    List<String> lines = output.lines().toList();

    assertThat(exitCode).as("exit code; the demo printed:%n%s", output).isZero();
    assertThat(lines.get(lines.size() - 1))
        .matches("verify users: compared=[1-9][0-9]* missing=0 extra=0 different=0");
    assertThat(output).contains(
        "users: LEGACY_ONLY -> DUAL_WRITE",
        "backfill users: ",
        "users: DUAL_WRITE -> SHADOW_READS",
        "gate backfill-finished: ",
        "gate verification-clean: ",
        "users: canary 10 % of keys",
        "users: SHADOW_READS -> NEW_READS",
        "gate shadow-mismatch-rate: ",
        "user service stops for",
        "backlog drained: ",
        "users: canary 100 % of keys",
        "users: NEW_READS -> SHADOW_READS",
        "where reads went, phase by phase:",
        ", 0 failed; ");
  }
}

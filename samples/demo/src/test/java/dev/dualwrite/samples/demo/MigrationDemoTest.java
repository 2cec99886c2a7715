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
  void walksUsersThroughAllSixPhasesThroughAnOutageAndBackStepsAndEndsWithBothStoresAgreeing() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream stray = new ByteArrayOutputStream();
    PrintStream console = System.out;
    PrintStream consoleErr = System.err;
    int exitCode;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        PrintStream others = new PrintStream(stray, true, StandardCharsets.UTF_8)) {
      // what anything but the demo's story prints on the console: loggers, logback's own warnings
      System.setOut(others);
      System.setErr(others);
      try {
        exitCode = MigrationDemo.run(Pace.QUICK, out);
      } finally {
        System.setOut(console);
        System.setErr(consoleErr);
      }
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    List<String> lines = output.lines().toList();

    assertThat(exitCode).as("exit code; the demo printed:%n%s", output).isZero();
    assertThat(stray.toString(StandardCharsets.UTF_8)).as("printed on the console besides the demo's lines").isEmpty();
    assertThat(lines.get(0)).contains("logs in " + MigrationDemo.LOG_FILE);
    assertThat(MigrationDemo.LOG_FILE.getFileName().toString()).matches("dualwrite-demo-\\d{8}-\\d{6}-\\d+\\.log");
    assertThat(lines).as("status lines with running totals")
        .anySatisfy(line -> assertThat(line).containsPattern(
            "traffic \\d+ requests \\(\\d+ in all\\), 0 failed \\(0 in all\\) \\| backlog \\d+ \\| reads: .*"
                + " \\| reads in all: \\d+ legacy, \\d+ user service"));
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
        "users: NEW_READS -> NEW_WRITES",
        "gate change-feed: ",
        "the user service's own API writes users now",
        "legacy join: ",
        "users: NEW_WRITES -> NEW_READS",
        "gate reverse-sync-caught-up: ",
        "users: NEW_WRITES -> NEW_ONLY",
        "gate legacy-writes-quiet: ",
        "where reads went, phase by phase:",
        ", 0 failed; ");
    assertThat(lines).as("the user service's writes reach legacy")
        .anySatisfy(line -> assertThat(line).containsPattern("reverse sync: .*, [1-9]\\d* changes of the user service"
            + " applied to legacy"));
    assertThat(lines).as("orders show the users the user service renamed, read through the legacy join")
        .anySatisfy(line -> assertThat(line).containsPattern("legacy join: [1-9]\\d* orders of users renamed"));
    assertThat(lines).as("the canary phases serve some keys from the user service")
        .anySatisfy(line -> assertThat(line).containsPattern("NEW_READS 10 % +traffic .* reads: \\d+ legacy, [1-9]\\d*"
            + " user service"));
  }
}

package dev.dualwrite.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.cli.DualWriteCli;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.samples.monolith.LegacyMonolithApplication;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * The tech lead's documented commands run as written, from the repository's root, against the sample monolith (a
 * Spring Boot application whose {@code users} have a camelCase column) on a real PostgreSQL database, with the sample
 * user service: the README's CLI command from the Boot jar and from the classes folder, and every {@code sh} block of
 * the playbook in order. Needs the CLI's jar and the sample's Boot jar, which {@code mvn verify} (or the README's
 * {@code mvn ... package}) builds before these tests.
 */
class TechLeadDocsTest {
  private static final Path CLI_JAR = Markdown.ROOT.resolve("dualwrite-cli/target/dualwrite-cli.jar");
  private static final Path BOOT_JAR =
      Markdown.ROOT.resolve("samples/legacy-monolith/target/sample-legacy-monolith-exec.jar");
  private static final Path CLASSES = Markdown.ROOT.resolve("samples/legacy-monolith/target/classes");
  private static final Pattern JAVA_LINE = Pattern.compile("^java -jar dualwrite-cli/target/dualwrite-cli.jar .*");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeEach
  void jarsAreBuilt() {
    assertThat(CLI_JAR).as("the CLI's jar: build it with the README's mvn command").isRegularFile();
    assertThat(BOOT_JAR).as("the sample's Boot jar: build it with the README's mvn command").isRegularFile();
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void theReadmesCliCommandRunsStatusPhaseBackfillAndVerifyFromTheBootJarAndTheClassesFolder(TestDatabase db) {
    List<String> lines = Markdown.read("README.md").section("## Moving phases: the CLI").blocks().get(0).lines();
    String command = lines.stream().filter(l -> JAVA_LINE.matcher(l).matches()).findFirst().orElseThrow();
    assertThat(command).as("the README's command").endsWith(" status")
        .contains("--monolith=samples/legacy-monolith/target/sample-legacy-monolith-exec.jar");
    String fromClasses = command.replace("samples/legacy-monolith/target/sample-legacy-monolith-exec.jar",
        "samples/legacy-monolith/target/classes");
    String base = command.substring(0, command.length() - " status".length());
    String classesBase = fromClasses.substring(0, fromClasses.length() - " status".length());
    try (Sample sample = Sample.start(db)) {
      sample.addUsers(30);
      assertThat(sample.columns()).as("a camelCase field, stored in Spring Boot's naming").contains("created_at");

      assertThat(sample.run(command, 0).out()).contains("users: LEGACY_ONLY (never moved)");
      assertThat(sample.run(base + " phase users DUAL_WRITE --reason 'from the README'", 0).out())
          .contains("users: LEGACY_ONLY -> DUAL_WRITE");
      Shell backfill = sample.run(base + " backfill users", 0);
      assertThat(backfill.out()).contains("backfill users: rows=30 finished");
      assertThat(backfill.err()).contains("100 % 30/30 rows");
      assertThat(sample.run(base + " verify users", 0).out())
          .startsWith("verify users: compared=30 missing=0 extra=0 different=0");

      assertThat(sample.run(fromClasses, 0).out()).contains("users: DUAL_WRITE since")
          .contains("ok    verification-clean");
      assertThat(sample.run(classesBase + " phase users SHADOW_READS --reason 'from the classes'", 0).out())
          .contains("users: DUAL_WRITE -> SHADOW_READS");
      assertThat(sample.run(classesBase + " backfill users --restart", 0).out())
          .contains("backfill users: rows=30 finished");
      assertThat(sample.run(classesBase + " verify users", 0).out())
          .startsWith("verify users: compared=30 missing=0 extra=0 different=0");
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void everyCommandOfThePlaybookRunsAsWrittenInOrder(TestDatabase db) {
    List<Markdown.Block> blocks = Markdown.read("docs/tech-lead-playbook.md").blocks().stream()
        .filter(b -> b.language().equals("sh")).toList();
    assertThat(blocks).as("sh blocks: the session's setup, then the walk-through").hasSizeGreaterThan(4);
    String setup = String.join("\n", blocks.get(0).lines());
    try (Sample sample = Sample.start(db)) {
      sample.addUsers(20);
      List<String> outputs = new ArrayList<>();
      for (Markdown.Block block : blocks.subList(1, blocks.size())) {
        Shell run = sample.run(setup + "\n" + String.join("\n", block.lines()), 0);
        outputs.add(run.out());
      }
      String all = String.join("\n", outputs);
      assertThat(all).contains("users: LEGACY_ONLY -> DUAL_WRITE").contains("backfill users: rows=20 finished")
          .contains("verify users: compared=20 missing=0 extra=0 different=0")
          .contains("users: DUAL_WRITE -> SHADOW_READS")
          .contains("\"error\":\"cannot move entity 'users' from SHADOW_READS to NEW_READS: gate shadow-mismatch-rate")
          .contains("\"kind\":\"verification\"")
          .contains("\"status\":\"UP\"")
          .contains("\"to\":\"NEW_READS\"")
          .contains("users: NEW_READS -> SHADOW_READS")
          .contains("SHADOW_READS -> NEW_READS").contains("FORCED by actuator: sample without traffic");
    }
  }

  @Test
  void everyDualwriteCommandInTheDocsIsACommandLineTheCliReads() {
    List<String> wrong = new ArrayList<>();
    for (String page : List.of("README.md", "docs/tech-lead-playbook.md", "docs/backfill-and-verification.md",
        "docs/operations.md")) {
      for (Markdown.Block block : Markdown.read(page).blocks()) {
        for (String line : block.lines()) {
          String command = line.startsWith("dualwrite ") ? line.substring("dualwrite ".length())
              : JAVA_LINE.matcher(line).matches() ? line.substring(line.indexOf(".jar ") + ".jar ".length()) : null;
          if (command == null || command.startsWith("{") || line.contains("()")) {
            continue;
          }
          try {
            new CommandLine(new DualWriteCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(dev.dualwrite.phase.MigrationPhase.class,
                    dev.dualwrite.phase.MigrationPhase::parse)
                .parseArgs(words(command));
          } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            wrong.add(page + " line " + block.line() + ": " + line + " (" + e.getMessage() + ")");
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The words of a shell command line without its quotes (no expansion needed in these lines). */
  private static String[] words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return words.toArray(String[]::new);
  }

  /** What a shell run printed. */
  record Shell(String out, String err) {}

  /** The sample user service and monolith on the test's database, and a shell set up as the docs say. */
  private static final class Sample implements AutoCloseable {
    private final UserServiceNode users;
    private final ConfigurableApplicationContext monolith;
    private final TestDatabase db;
    private final URI base;

    private Sample(TestDatabase db, UserServiceNode users, ConfigurableApplicationContext monolith) {
      this.db = db;
      this.users = users;
      this.monolith = monolith;
      this.base = URI.create("http://127.0.0.1:" + monolith.getEnvironment().getRequiredProperty("local.server.port"));
    }

    static Sample start(TestDatabase db) {
      db.execute("DROP TABLE IF EXISTS orders", "DROP TABLE IF EXISTS users");
      DualWriteSchema.createIfMissing(db.dataSource());
      DualWriteSchema.empty(db.dataSource());
      UserServiceNode users = UserServiceNode.start();
      ConfigurableApplicationContext monolith = new SpringApplicationBuilder(LegacyMonolithApplication.class).run(
          "--spring.main.banner-mode=off", "--server.address=127.0.0.1", "--server.port=0",
          "--spring.datasource.url=" + db.jdbcUrl(), "--dualwrite.target.url=" + users.mirrorUrl(),
          "--dualwrite.relay.poll-interval=100ms", "--dualwrite.phase-staleness=200ms");
      return new Sample(db, users, monolith);
    }

    void addUsers(int count) {
      for (int i = 1; i <= count; i++) {
        HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/users"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"user " + i + "\", \"email\": \"u" + i
                + "@example.com\"}")).build());
        assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
      }
    }

    List<String> columns() {
      List<String> columns = new ArrayList<>();
      try (var connection = db.dataSource().getConnection();
          var rows = connection.getMetaData().getColumns(null, db.schema(), "users", null)) {
        while (rows.next()) {
          columns.add(rows.getString("COLUMN_NAME"));
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      return columns;
    }

    /** Runs {@code script} with bash from the repository's root, in the environment the docs ask the reader for. */
    Shell run(String script, int exitCode) {
      try {
        Path out = Files.createTempFile("dualwrite-docs-", ".out");
        Path err = Files.createTempFile("dualwrite-docs-", ".err");
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(Markdown.ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.put("DUALWRITE_JDBC_URL", db.jdbcUrl());
        env.put("DUALWRITE_TARGET_URL", users.mirrorUrl());
        env.put("MONOLITH_URL", base.toString());
        env.remove("DUALWRITE_MONOLITH");
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished: " + script).isTrue();
        Shell shell = new Shell(Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        assertThat(process.exitValue()).as("exit code of\n" + script + "\nstdout: " + shell.out() + "\nstderr: "
            + shell.err()).isEqualTo(exitCode);
        return shell;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static HttpResponse<String> send(HttpRequest request) {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      monolith.close();
      users.stop();
    }
  }
}

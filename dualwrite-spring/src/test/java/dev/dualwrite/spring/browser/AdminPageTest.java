package dev.dualwrite.spring.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.app.Customer;
import dev.dualwrite.spring.app.CustomerRepository;
import dev.dualwrite.spring.app.RunningMonolith;
import dev.dualwrite.spring.app.Tier;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The admin page shipped in the jar, in a real headless Chromium over the running monolith: it renders every entity
 * from the Actuator endpoint (phase, backlog, dead letters, shadow mismatch rate), and its retry button puts the dead
 * letter back in line, so that the change reaches the new service. Needs Debian's {@code chromium} on the {@code PATH}; without it the test is skipped, or fails when
 * {@code CI=true}.
 */
class AdminPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CUSTOMERS_ROW = "#entities tr[data-entity=\"customers\"]";

  private ReferenceMirrorService service;
  private Path chromium;

  @BeforeEach
  void start() {
    Optional<Path> executable = HeadlessChromium.executable();
    if (executable.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("chromium is not on the PATH; .ci/run installs Debian's chromium package");
    }
    Assumptions.assumeTrue(executable.isPresent(),
        "chromium is not on the PATH: install Debian's chromium package (apt-get install chromium) to run this test");
    chromium = executable.get();
    service = ReferenceMirrorService.start();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void pageShowsEveryEntityAndItsRetryButtonRedeliversTheDeadLetter(TestDatabase db) throws Exception {
    try (RunningMonolith app = RunningMonolith.start(db, service)) {
      DualWrite dualWrite = app.bean(DualWrite.class);
      dualWrite.phases().forceMove("customers", MigrationPhase.SHADOW_READS, "lead@example.com", "backfilled");
      ReadRouter reads = app.bean(ReadRouter.class);
      reads.read("1", () -> Map.of("name", "Ada"), () -> Map.of("name", "Ada"));
      reads.read("2", () -> Map.of("name", "Bob"), () -> Map.of("name", "Rob"));
      await().atMost(WAIT).until(() -> reads.stats().compared().count() == 2);
      service.failNextRequests(1, 422);
      Customer grace = app.bean(CustomerRepository.class).save(new Customer("Grace", "grace@example.com", Tier.GOLD));
      String id = grace.getId().toString();
      await().atMost(WAIT).until(() -> dualWrite.mirrorStats("customers").deadLetters() == 1);
      assertThat(service.document("customers", id)).as("refused for good by the service").isEmpty();

      try (HeadlessChromium page = HeadlessChromium.open(chromium, app.base().resolve("dualwrite/index.html"))) {
        await().atMost(WAIT).until(() -> "ready".equals(
            page.evaluate("(document.body && document.body.dataset.state) || ''").asText()));
        JsonNode row = page.evaluate(cellsOf(CUSTOMERS_ROW));
        assertThat(row.path("name").asText()).isEqualTo("customers");
        assertThat(row.path("phase").asText()).isEqualTo("SHADOW_READS");
        assertThat(row.path("gates").asText())
            .as("the move to NEW_READS: half the shadow reads mismatched, nothing is undelivered")
            .isEqualTo("NEW_READS: ✗ shadow-mismatch-rate, ✓ outbox-backlog");
        assertThat(row.path("mismatch").asText()).isEqualTo("50.0 % of 2");
        assertThat(row.path("backlog").asText()).isEqualTo("0");
        assertThat(row.path("backfill").asText()).as("forced past the backfill").isEqualTo("not run");
        assertThat(row.path("verification").asText()).isEqualTo("none");
        assertThat(row.path("dead-letters").asText()).isEqualTo("1");
        assertThat(row.path("button").asText()).isEqualTo("Retry 1 dead letter");
        JsonNode letter = page.evaluate(cellsOf("#dead-letters div[data-entity=\"customers\"] tr[data-id]"));
        assertThat(letter.path("entity-id").asText()).isEqualTo(id);
        assertThat(letter.path("operation").asText()).isEqualTo("UPSERT");
        assertThat(letter.path("error").asText()).contains("422");

        page.click(CUSTOMERS_ROW + " button.retry");

        await().atMost(WAIT).until(() -> service.document("customers", id).isPresent());
        assertThat(dualWrite.mirrorStats("customers").deadLetters()).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(page.evaluate(cellsOf(CUSTOMERS_ROW)).path("dead-letters").asText()).isEqualTo("0");
          assertThat(page.evaluate("document.getElementById('message').textContent").asText())
              .isEqualTo("1 dead letter of customers put back in line");
        });
        assertThat(page.evaluate("document.querySelectorAll('#dead-letters tr[data-id]').length").asInt()).isZero();
      }
    }
  }

  /** JavaScript returning the text of each cell of the first row {@code selector} matches, by the cell's class. */
  private static String cellsOf(String selector) {
    return "(() => { const row = document.querySelector('" + selector.replace("'", "\\'") + "');"
        + " if (!row) { return null; } const cells = {};"
        + " row.querySelectorAll('td').forEach(td => { cells[td.className.split(' ')[0]] = td.textContent; });"
        + " const button = row.querySelector('button'); cells.button = button ? button.textContent : null;"
        + " return cells; })()";
  }
}

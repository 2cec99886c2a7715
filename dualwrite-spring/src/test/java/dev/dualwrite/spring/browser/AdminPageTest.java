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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The admin page shipped in the jar, in a real headless Chromium over the running monolith, steered with real mouse
 * clicks and typing: moves forward with a reason and sees the history and phase change, sees the gate that refused a
 * move, forces a move, and retries and discards dead letters; and a screenshot of the page after a few hundred
 * changes. Needs Debian's {@code chromium} on the {@code PATH}; without it the test is skipped, or fails when
 * {@code CI=true}.
 */
class AdminPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CUSTOMERS = "section.entity[data-entity=\"customers\"]";
  /** The screenshot docs/admin-page.png is a copy of. */
  private static final Path SCREENSHOT = Path.of("target", "admin-page.png");

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
  void movesForwardWithAReasonShowsTheGateThatRefusesAMoveAndForcesOne(TestDatabase db) throws Exception {
    try (RunningMonolith app = RunningMonolith.start(db, service);
        HeadlessChromium page = open(app)) {
      assertThat(text(page, CUSTOMERS + " .phase")).isEqualTo("LEGACY_ONLY");
      assertThat(text(page, CUSTOMERS + " ol.history")).isEqualTo("never moved");

      page.type(CUSTOMERS + " input.reason", "start mirroring");
      page.click(CUSTOMERS + " button.forward");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(text(page, CUSTOMERS + " .phase")).isEqualTo("DUAL_WRITE");
        assertThat(text(page, CUSTOMERS + " ol.history li")).endsWith("LEGACY_ONLY → DUAL_WRITE by actuator: start"
            + " mirroring");
        assertThat(text(page, "#message")).isEqualTo("customers: LEGACY_ONLY → DUAL_WRITE");
      });
      assertThat(app.bean(DualWrite.class).phases().current("customers")).isEqualTo(MigrationPhase.DUAL_WRITE);
      assertThat(page.evaluate("document.querySelector('" + CUSTOMERS + " tr[data-gate=\"backfill-finished\"]')"
          + ".className").asText()).as("the failing gate stands out").isEqualTo("fail");
      assertThat(text(page, CUSTOMERS + " button.forward")).isEqualTo("Forward to SHADOW_READS");

      page.click(CUSTOMERS + " button.forward");
      await().atMost(WAIT).untilAsserted(() -> assertThat(text(page, "#message")).startsWith(
          "The move of customers to SHADOW_READS was refused: cannot move entity 'customers' from DUAL_WRITE to"
              + " SHADOW_READS: gate backfill-finished: no backfill has run"));
      assertThat(page.evaluate("document.getElementById('message').className").asText()).isEqualTo("error");
      assertThat(text(page, CUSTOMERS + " .phase")).isEqualTo("DUAL_WRITE");

      page.click(CUSTOMERS + " button.force");
      await().atMost(WAIT).untilAsserted(() -> assertThat(text(page, "#message"))
          .isEqualTo("A forced move of customers needs a reason: it is recorded in the history"));
      page.evaluate("(() => { const s = document.querySelector('" + CUSTOMERS + " select.force-target');"
          + " s.value = 'SHADOW_READS'; return s.value; })()");
      page.type(CUSTOMERS + " input.reason", "checked with the data team's own tools");
      page.click(CUSTOMERS + " button.force");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(text(page, CUSTOMERS + " .phase")).isEqualTo("SHADOW_READS");
        assertThat(text(page, CUSTOMERS + " ol.history li.forced")).contains("DUAL_WRITE → SHADOW_READS FORCED by"
            + " actuator: checked with the data team's own tools [overrode gate backfill-finished");
      });
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void retriesOneDeadLetterAndDiscardsAnother(TestDatabase db) throws Exception {
    try (RunningMonolith app = RunningMonolith.start(db, service)) {
      DualWrite dualWrite = app.bean(DualWrite.class);
      dualWrite.phases().move("customers", MigrationPhase.DUAL_WRITE, "lead", null);
      service.failNextRequests(2, 422);
      CustomerRepository customers = app.bean(CustomerRepository.class);
      // one at a time: saved together, both could go in one batch request, which would take the first failure
      // and then be sent one change at a time, leaving a single dead letter
      String ada = customers.save(new Customer("Ada", "ada@example.com", Tier.GOLD)).getId().toString();
      await().atMost(WAIT).until(() -> dualWrite.mirrorStats("customers").deadLetters() == 1);
      String bob = customers.save(new Customer("Bob", "bob@example.com", Tier.GOLD)).getId().toString();
      await().atMost(WAIT).until(() -> dualWrite.mirrorStats("customers").deadLetters() == 2);

      try (HeadlessChromium page = open(app)) {
        String adaRow = CUSTOMERS + " table.dead-letters tr:nth-child(2)";
        assertThat(text(page, adaRow + " td.entity-id")).isEqualTo(ada);
        assertThat(text(page, adaRow + " td.status")).isEqualTo("HTTP 422");
        assertThat(page.evaluate("document.querySelector('" + CUSTOMERS + " .dead-letters').className").asText())
            .as("dead letters stand out").contains("alert");
        String adaLetter = page.evaluate("document.querySelector('" + adaRow + "').dataset.id").asText();

        page.click(adaRow + " button.discard");
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(text(page, "#message")).isEqualTo("dead letter " + adaLetter + " of customers discarded");
          assertThat(page.evaluate("document.querySelectorAll('" + CUSTOMERS + " table.dead-letters tr[data-id]')"
              + ".length").asInt()).isEqualTo(1);
        });
        page.click(CUSTOMERS + " table.dead-letters tr[data-id] button.retry-one");
        await().atMost(WAIT).until(() -> service.document("customers", bob).isPresent());
        await().atMost(WAIT).untilAsserted(() -> assertThat(text(page, CUSTOMERS + " h3.dead-letters-title"))
            .isEqualTo("Dead letters (oldest 0 of 0)"));
        assertThat(service.document("customers", ada)).as("discarded: never delivered").isEmpty();
      }
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void showsTheMirrorsTrendRunsAndDifferencesAfterAFewHundredChanges(TestDatabase db) throws Exception {
    try (RunningMonolith app = RunningMonolith.start(db, service, "dualwrite.endpoint.trend-interval=200ms")) {
      DualWrite dualWrite = app.bean(DualWrite.class);
      CustomerRepository customers = app.bean(CustomerRepository.class);
      IntStream.rangeClosed(1, 150).forEach(i -> customers.save(new Customer("c" + i, "c" + i + "@example.com",
          Tier.BASIC)));
      dualWrite.phases().move("customers", MigrationPhase.DUAL_WRITE, "lead@example.com", "start mirroring");
      IntStream.rangeClosed(151, 300).forEach(i -> customers.save(new Customer("c" + i, "c" + i + "@example.com",
          Tier.GOLD)));
      try (HeadlessChromium page = open(app)) {
        page.click(CUSTOMERS + " button.run-backfill");
        await().atMost(WAIT).untilAsserted(() -> assertThat(text(page, CUSTOMERS + " .job.backfill"))
            .contains(": finished").contains("100 % · 300 of 300 rows"));
        assertThat(dualWrite.relay().drain(WAIT)).isTrue();
        String gone = service.liveDocuments("customers").keySet().iterator().next();
        service.remove("customers", gone);
        page.click(CUSTOMERS + " button.run-verify");
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(text(page, CUSTOMERS + " p.verification")).startsWith("Last verification: compared 300,"
              + " missing 1, extra 0, different 0");
          assertThat(text(page, CUSTOMERS + " table.mismatches tr[data-id=\"" + gone + "\"]"))
              .isEqualTo(gone + "missing in the new service");
        });
        ReadRouter reads = app.bean(ReadRouter.class);
        dualWrite.phases().forceMove("customers", MigrationPhase.SHADOW_READS, "lead@example.com", "screenshot");
        IntStream.rangeClosed(1, 40).forEach(i -> reads.read(String.valueOf(i), () -> Map.of("name", "c" + i),
            () -> Map.of("name", i % 3 == 0 ? "other" : "c" + i)));
        await().atMost(WAIT).until(() -> reads.stats().compared().count() == 40);
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(text(page, CUSTOMERS + " span.mismatch")).isEqualTo("32.5 % of 40");
          assertThat(page.evaluate("document.querySelector('" + CUSTOMERS + " span.mismatch').className").asText())
              .as("above the gate's 1 %").contains("alert");
          assertThat(page.evaluate("document.querySelector('" + CUSTOMERS + " figure.chart').dataset.points")
              .asInt()).isGreaterThan(3);
        });
        page.screenshot(SCREENSHOT);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
      }
    }
  }

  private HeadlessChromium open(RunningMonolith app) throws Exception {
    HeadlessChromium page = HeadlessChromium.open(chromium, app.base().resolve("dualwrite/index.html"));
    await().atMost(WAIT).until(() -> "ready".equals(
        page.evaluate("(document.body && document.body.dataset.state) || ''").asText()));
    return page;
  }

  private static String text(HeadlessChromium page, String selector) {
    JsonNode text = page.evaluate("(() => { const e = document.querySelector('" + selector.replace("'", "\\'")
        + "'); return e ? e.textContent : null; })()");
    return text.isNull() ? null : text.asText();
  }
}

package dev.dualwrite.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.spring.app.Customer;
import dev.dualwrite.spring.app.CustomerRepository;
import dev.dualwrite.spring.app.RunningMonolith;
import dev.dualwrite.spring.app.Tier;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a Prometheus server scraping {@code /actuator/prometheus} of a monolith sees of dualwrite: every meter name,
 * without a repeated unit, the commit → acknowledgement timer with its percentiles and service-level buckets, and the
 * new service's HTTP calls per outcome.
 */
class PrometheusScrapeTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void theScrapeListsEveryDualwriteMeterWithCleanNamesAndTheLatencyPercentiles(TestDatabase db) throws Exception {
    try (RunningMonolith app = RunningMonolith.start(db, service,
        "management.endpoints.web.exposure.include=dualwrite,metrics,prometheus")) {
      app.bean(DualWrite.class).phases().move("customers", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
      service.failNextRequests(1, 503);
      Customer ada = app.bean(CustomerRepository.class).save(new Customer("Ada", "ada@example.com", Tier.GOLD));
      await().atMost(WAIT).until(() -> service.document("customers", ada.getId().toString()).isPresent());

      await().atMost(WAIT).untilAsserted(() -> assertThat(scrape(app))
          .contains("dualwrite_mirror_latency_seconds_count{entity=\"customers\"} 1"));
      String scrape = scrape(app);

      assertThat(meterNames(scrape)).containsExactly(
          "dualwrite_changes_appended_total",
          "dualwrite_changes_dead_lettered_total",
          "dualwrite_changes_delivered_total",
          "dualwrite_changes_retried_total",
          "dualwrite_mirror_latency_percentile_seconds",
          "dualwrite_mirror_latency_seconds",
          "dualwrite_mirror_latency_seconds_max",
          "dualwrite_outbox_backlog",
          "dualwrite_outbox_dead_letters",
          "dualwrite_outbox_oldest_age_seconds",
          "dualwrite_phase",
          "dualwrite_reads_errors_total",
          "dualwrite_reads_fallbacks_total",
          "dualwrite_reads_total",
          "dualwrite_reads_undelivered_writes_total",
          "dualwrite_relay_delivery_active_seconds",
          "dualwrite_relay_delivery_active_seconds_max",
          "dualwrite_relay_delivery_seconds",
          "dualwrite_relay_delivery_seconds_max",
          "dualwrite_reverse_sync_applied_total",
          "dualwrite_reverse_sync_behind",
          "dualwrite_reverse_sync_dead_letters",
          "dualwrite_reverse_sync_failed_total",
          "dualwrite_reverse_sync_lag_seconds",
          "dualwrite_shadow_compared_total",
          "dualwrite_shadow_dropped_total",
          "dualwrite_shadow_mismatch_rate",
          "dualwrite_target_requests_seconds",
          "dualwrite_target_requests_seconds_max");
      assertThat(scrape).contains(
          "dualwrite_changes_appended_total{entity=\"customers\"} 1.0",
          "dualwrite_changes_retried_total{entity=\"customers\"} 1.0",
          "dualwrite_changes_delivered_total{entity=\"customers\"} 1.0");

      assertThat(lines(scrape, "dualwrite_mirror_latency_percentile_seconds{"))
          .as("the timer's percentiles")
          .anySatisfy(line -> assertThat(line).contains("entity=\"customers\"", "phi=\"0.5\"").doesNotEndWith("NaN"))
          .anySatisfy(line -> assertThat(line).contains("entity=\"customers\"", "phi=\"0.95\"").doesNotEndWith("NaN"))
          .anySatisfy(line -> assertThat(line).contains("entity=\"customers\"", "phi=\"0.99\"").doesNotEndWith("NaN"));
      assertThat(lines(scrape, "dualwrite_mirror_latency_seconds_bucket{"))
          .as("the service-level buckets")
          .anySatisfy(line -> assertThat(line).contains("le=\"0.005\""))
          .anySatisfy(line -> assertThat(line).contains("le=\"0.05\""))
          .anySatisfy(line -> assertThat(line).contains("le=\"60.0\""));

      assertThat(lines(scrape, "dualwrite_target_requests_seconds_count{"))
          .as("the new service's calls per outcome")
          .anySatisfy(line -> assertThat(line).contains("operation=\"upsert\"", "outcome=\"SERVER_ERROR\"",
              "resource=\"customers\"", "status=\"503\""))
          .anySatisfy(line -> assertThat(line).contains("operation=\"upsert\"", "outcome=\"SUCCESS\"",
              "resource=\"customers\"", "status=\"200\""));
    }
  }

  private static String scrape(RunningMonolith app) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(app.base().resolve("actuator/prometheus")).header("Accept", "text/plain").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET /actuator/prometheus answered %s", response.body()).isEqualTo(200);
    return response.body();
  }

  /** The metric families of dualwrite, from the scrape's {@code # TYPE} lines. */
  private static Set<String> meterNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE dualwrite_")) {
        names.add(line.split(" ")[2]);
      }
    }
    return names;
  }

  private static List<String> lines(String scrape, String prefix) {
    return Arrays.stream(scrape.split("\n")).filter(line -> line.startsWith(prefix)).toList();
  }
}

package dev.dualwrite.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The endpoint over HTTP in the running monolith: the canary, backfills and verifications started asynchronously with
 * their progress and outcome, dead letters discarded, one error body for every refusal, and the health contributor's
 * states.
 */
class DualWriteEndpointHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CUSTOMERS = "actuator/dualwrite/customers";

  private ReferenceMirrorService service;

  @BeforeEach
  void start() {
    service = ReferenceMirrorService.start();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private static RunningMonolith start(TestDatabase db, ReferenceMirrorService service, String... properties) {
    RunningMonolith app = RunningMonolith.start(db, service, properties);
    db.execute("DELETE FROM dualwrite_backfill", "DELETE FROM dualwrite_verification");
    return app;
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void setsTheCanaryAndAnswersEveryRefusalWithTheSameErrorBody(TestDatabase db) {
    try (RunningMonolith app = start(db, service)) {
      JsonNode moved = ok(app.post(CUSTOMERS,
          "{\"phase\": \"NEW_READS\", \"force\": true, \"reason\": \"canary test\", \"canaryPercent\": 5}"));
      assertThat(moved.path("move").path("to").asText()).isEqualTo("NEW_READS");
      assertThat(moved.path("canary").path("canaryPercent").asDouble()).isEqualTo(5);
      assertThat(ok(app.get(CUSTOMERS)).path("canaryPercent").asDouble()).isEqualTo(5);

      JsonNode canaryOnly = ok(app.post(CUSTOMERS, "{\"canaryPercent\": 100, \"reason\": \"all keys\"}"));
      assertThat(canaryOnly.path("move").isMissingNode()).as("no phase move: " + canaryOnly).isTrue();
      assertThat(ok(app.get(CUSTOMERS)).path("canaryPercent").asDouble()).isEqualTo(100);
      assertThat(app.bean(DualWrite.class).phases().history("customers")).hasSize(3);

      assertError(app.post(CUSTOMERS, "{}"), 400, "give \"phase\"");
      assertError(app.post(CUSTOMERS, "{\"canaryPercent\": 150}"), 400, "150");
      assertError(app.post(CUSTOMERS, "{\"phase\": \"SIDEWAYS\"}"), 400, "unknown phase 'SIDEWAYS'");
      assertError(app.post(CUSTOMERS, "{\"phase\": \"LEGACY_ONLY\"}"), 409, "one step at a time");
      assertError(app.get("actuator/dualwrite/payments"), 404,
          "unknown entity 'payments'; configured entities are [customers]");
      assertError(app.post("actuator/dualwrite/payments", "{\"phase\": \"DUAL_WRITE\"}"), 404,
          "unknown entity 'payments'");
      assertError(app.post(CUSTOMERS + "/sideways", "{}"), 404, "no operation 'sideways'");
      assertError(app.post(CUSTOMERS + "/dead-letters", "{\"action\": \"bury\"}"), 400, "unknown action 'bury'");
    }
    try (RunningMonolith app = start(db, service, "dualwrite.endpoint.write-operations-enabled=false")) {
      assertError(app.post(CUSTOMERS + "/backfill", "{}"), 403, "dualwrite.endpoint.write-operations-enabled=true");
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void backfillAndVerificationRunAsynchronouslyWithTheirProgressAndOutcome(TestDatabase db) {
    try (RunningMonolith app = start(db, service)) {
      CustomerRepository customers = app.bean(CustomerRepository.class);
      IntStream.rangeClosed(1, 200).forEach(i -> customers.save(new Customer("c" + i, "c" + i + "@example.com",
          Tier.BASIC)));
      ok(app.post(CUSTOMERS, "{\"phase\": \"DUAL_WRITE\", \"reason\": \"start\"}"));

      HttpResponse<String> started = app.post(CUSTOMERS + "/backfill", "{\"rowsPerSecond\": 100}");
      assertThat(started.statusCode()).isEqualTo(202);
      assertThat(json(started).path("job").path("kind").asText()).isEqualTo("backfill");
      assertThat(json(started).path("job").path("startedBy").asText()).isEqualTo("actuator");
      assertError(app.post(CUSTOMERS + "/backfill", "{}"), 409, "is still running");
      JsonNode backfill = await().atMost(WAIT).until(() -> ok(app.get(CUSTOMERS)).path("backfillJob"),
          job -> job.path("state").asText().equals("FINISHED"));
      assertThat(backfill.path("outcome").asText()).isEqualTo("backfill customers: rows=200 finished");
      assertThat(backfill.path("rowsTotal").asLong()).isEqualTo(200);
      assertThat(backfill.path("percent").asDouble()).isEqualTo(100);
      assertThat(ok(app.get(CUSTOMERS)).path("backfill").path("rowsDone").asLong()).isEqualTo(200);
      await().atMost(WAIT).until(() -> service.liveDocuments("customers").size() == 200);

      assertThat(app.post(CUSTOMERS + "/verify", "{}").statusCode()).isEqualTo(202);
      JsonNode clean = finishedVerification(app);
      assertThat(clean.path("outcome").asText()).isEqualTo(
          "verify customers: compared=200 missing=0 extra=0 different=0");
      assertThat(ok(app.get(CUSTOMERS)).path("lastVerification").path("compared").asLong()).isEqualTo(200);

      String gone = service.liveDocuments("customers").keySet().iterator().next();
      service.remove("customers", gone);
      assertThat(app.post(CUSTOMERS + "/verify", "{}").statusCode()).isEqualTo(202);
      JsonNode differs = finishedVerification(app);
      assertThat(differs.path("outcome").asText()).startsWith(
          "verify customers: compared=200 missing=1 extra=0 different=0").contains("(1, first 1): " + gone);
      assertThat(differs.path("report").path("samples").path("missing").get(0).asText()).isEqualTo(gone);

      assertThat(app.post(CUSTOMERS + "/verify", "{\"repair\": true}").statusCode()).isEqualTo(202);
      JsonNode repaired = finishedVerification(app);
      assertThat(repaired.path("kind").asText()).isEqualTo("repair");
      assertThat(repaired.path("report").path("repaired").asLong()).isEqualTo(1);
      assertThat(service.document("customers", gone)).isPresent();
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void retriesAndDiscardsOneDeadLetter(TestDatabase db) {
    try (RunningMonolith app = start(db, service)) {
      ok(app.post(CUSTOMERS, "{\"phase\": \"DUAL_WRITE\"}"));
      service.failNextRequests(2, 422);
      CustomerRepository customers = app.bean(CustomerRepository.class);
      customers.save(new Customer("Ada", "ada@example.com", Tier.GOLD));
      customers.save(new Customer("Bob", "bob@example.com", Tier.GOLD));
      JsonNode letters = await().atMost(WAIT).until(() -> ok(app.get(CUSTOMERS)).path("oldestDeadLetters"),
          list -> list.size() == 2);
      long first = letters.get(0).path("id").asLong();
      long second = letters.get(1).path("id").asLong();

      assertError(app.post(CUSTOMERS + "/dead-letters", "{\"action\": \"discard\"}"), 400, "needs the dead letter's");
      JsonNode discarded = ok(app.post(CUSTOMERS + "/dead-letters", "{\"action\": \"discard\", \"id\": " + first + "}"));
      assertThat(discarded.path("discarded").asLong()).isEqualTo(first);
      assertError(app.post(CUSTOMERS + "/dead-letters", "{\"action\": \"discard\", \"id\": " + first + "}"), 404,
          "no dead letter " + first + " of 'customers'");

      JsonNode retried = ok(app.post(CUSTOMERS + "/dead-letters", "{\"action\": \"retry\", \"id\": " + second + "}"));
      assertThat(retried.path("retried").asInt()).isEqualTo(1);
      await().atMost(WAIT).until(() -> service.liveDocuments("customers").size() == 1);
      assertThat(ok(app.get(CUSTOMERS)).path("deadLetters").asLong()).isZero();
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void theHealthContributorIsDownWhenTheServiceIsUnreachableAndOutOfServiceForDeadLettersAndOldBacklogs(
      TestDatabase db) {
    String[] health = {"management.endpoints.web.exposure.include=health,dualwrite",
        "management.endpoint.health.show-details=always"};
    try (RunningMonolith app = start(db, service, health)) {
      ok(app.post(CUSTOMERS, "{\"phase\": \"DUAL_WRITE\"}"));
      CustomerRepository customers = app.bean(CustomerRepository.class);
      assertThat(health(app, 200).path("status").asText()).isEqualTo("UP");

      service.failNextRequests(1, 422);
      customers.save(new Customer("Ada", "ada@example.com", Tier.GOLD));
      JsonNode outOfService = await().atMost(WAIT).until(() -> health(app, -1),
          h -> h.path("status").asText().equals("OUT_OF_SERVICE"));
      assertThat(outOfService.path("details").path("entities").path("customers").path("reason").asText())
          .isEqualTo("1 dead letter(s) wait: retry or discard them");
      ok(app.post(CUSTOMERS + "/dead-letters", "{}"));
      await().atMost(WAIT).until(() -> health(app, -1).path("status").asText().equals("UP"));

      service.stop();
      customers.save(new Customer("Bob", "bob@example.com", Tier.GOLD));
      JsonNode down = await().atMost(WAIT).until(() -> health(app, -1), h -> h.path("status").asText().equals("DOWN"));
      assertThat(down.path("details").path("entities").path("customers").path("reason").asText())
          .startsWith("the new service is unreachable: no answer").endsWith("1 change(s) wait");
      assertThat(health(app, 503).path("status").asText()).isEqualTo("DOWN");
      service.restart();
      await().atMost(WAIT).until(() -> health(app, -1).path("status").asText().equals("UP"));
    }
    try (RunningMonolith app = start(db, service, "management.endpoints.web.exposure.include=health,dualwrite",
        "management.endpoint.health.show-details=always", "dualwrite.relay.enabled=false",
        "dualwrite.health.max-backlog-age=1s")) {
      app.bean(DualWrite.class).phases().move("customers", MigrationPhase.DUAL_WRITE, "lead", null);
      app.bean(CustomerRepository.class).save(new Customer("Cy", "cy@example.com", Tier.GOLD));
      JsonNode old = await().atMost(WAIT).until(() -> health(app, -1),
          h -> h.path("status").asText().equals("OUT_OF_SERVICE"));
      assertThat(old.path("details").path("entities").path("customers").path("reason").asText())
          .startsWith("the oldest undelivered change is ").endsWith(" s old, above the 1 s of"
              + " dualwrite.health.max-backlog-age");
    }
  }

  private static JsonNode finishedVerification(RunningMonolith app) {
    return await().atMost(WAIT).until(() -> ok(app.get(CUSTOMERS)).path("verificationJob"),
        job -> !job.path("state").asText().equals("RUNNING"));
  }

  /** {@code /actuator/health/dualwrite}, checking its HTTP status unless {@code status} is negative. */
  private static JsonNode health(RunningMonolith app, int status) {
    HttpResponse<String> response = app.get("actuator/health/dualwrite");
    if (status >= 0) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }
    return json(response);
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.size()).as("only an error: " + body).isEqualTo(1);
    assertThat(body.path("error").asText()).contains(message);
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(response.body(), e);
    }
  }
}

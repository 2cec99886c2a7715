package dev.dualwrite.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.hibernate.DualWriteHibernate;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.spring.autoconfigure.DualWriteHibernateSettings;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseKind;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.test.service.StoredDocument;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Spring Boot monolith on a real PostgreSQL and MariaDB: an entity that is only annotated {@code @Mirrored}, saved
 * through a Spring Data repository, reaches a loopback service once a tech lead moves it to {@code DUAL_WRITE} through
 * the Actuator endpoint over HTTP; the endpoint and the metrics show it. Its snapshots are written by the
 * application's own JSON mapper, and the verifier agrees.
 */
class MonolithApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void savedEntityReachesTheServiceAfterAPhaseMoveThroughTheEndpoint(TestDatabase db) {
    try (RunningMonolith app = RunningMonolith.start(db, service)) {
      JsonNode customers = entity(json(app.get("actuator/dualwrite"), 200), "customers");
      assertThat(customers.path("phase").asText()).isEqualTo("LEGACY_ONLY");
      assertThat(customers.path("allowedMoves").toString()).isEqualTo("[\"DUAL_WRITE\"]");

      JsonNode moved = json(app.post("actuator/dualwrite/customers",
          "{\"phase\": \"dual-write\", \"reason\": \"start mirroring\"}"), 200).path("move");
      assertThat(moved.path("from").asText()).isEqualTo("LEGACY_ONLY");
      assertThat(moved.path("to").asText()).isEqualTo("DUAL_WRITE");
      assertThat(moved.path("actor").asText()).as("no principal: the endpoint is the actor").isEqualTo("actuator");
      assertThat(moved.path("reason").asText()).isEqualTo("start mirroring");
      assertThat(app.bean(DualWrite.class).phases().current("customers")).isEqualTo(MigrationPhase.DUAL_WRITE);

      CustomerRepository repository = app.bean(CustomerRepository.class);
      Customer ada = repository.save(new Customer("Ada", "ada@example.com", Tier.GOLD));
      await().atMost(WAIT).until(() -> service.document("customers", ada.getId().toString()).isPresent());
      StoredDocument mirrored = service.document("customers", ada.getId().toString()).orElseThrow();
      assertThat(mirrored.data().path("name").asText()).isEqualTo("Ada");
      assertThat(mirrored.data().path("tier").asText()).as("written by the application's ObjectMapper")
          .isEqualTo("gold");

      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode status = entity(json(app.get("actuator/dualwrite"), 200), "customers");
        assertThat(status.path("phase").asText()).isEqualTo("DUAL_WRITE");
        assertThat(status.path("revision").asLong()).isEqualTo(1);
        assertThat(status.path("appended").asLong()).isEqualTo(1);
        assertThat(status.path("delivered").asLong()).isEqualTo(1);
        assertThat(status.path("backlog").asLong()).isZero();
        assertThat(status.path("deadLetters").asLong()).isZero();
        assertThat(status.path("reads").path("compared").asLong()).as("the read router's counters").isZero();
      });
      JsonNode history = json(app.get("actuator/dualwrite/customers"), 200).path("history");
      assertThat(history).hasSize(1);
      assertThat(history.get(0).path("to").asText()).isEqualTo("DUAL_WRITE");
      assertThat(history.get(0).path("actor").asText()).isEqualTo("actuator");

      JsonNode delivered = json(app.get("actuator/metrics/dualwrite.changes.delivered?tag=entity:customers"), 200);
      assertThat(delivered.path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
      assertThat(json(app.get("actuator/metrics/dualwrite.reads?tag=entity:customers&tag=store:legacy"), 200)
          .path("measurements").get(0).path("value").asDouble()).as("the read router's meters are bound").isZero();
      JsonNode phase = json(app.get("actuator/metrics/dualwrite.phase?tag=entity:customers"), 200);
      assertThat(phase.path("measurements").get(0).path("value").asDouble())
          .isEqualTo(MigrationPhase.DUAL_WRITE.ordinal());

      assertThatThrownBy(() -> repository.setEveryTier(Tier.BASIC))
          .as("the bulk-write guard reached Hibernate through the auto-configuration")
          .hasMessageContaining("entity 'customers'");
    }
  }

  @DatabaseTest
  void snapshotsAreWrittenByTheApplicationsOwnJsonMapperAndTheVerifierFindsNoDifference(TestDatabase db) {
    try (RunningMonolith app = RunningMonolith.start(db, service)) {
      Map<String, Object> settings = new HashMap<>();
      app.bean(DualWriteHibernateSettings.class).applyTo(settings);
      assertThat(settings.get(DualWriteSettings.OBJECT_MAPPER)).as("the application's mapper reaches Hibernate")
          .isInstanceOf(ApplicationJson.MAPPER_TYPE)
          .isSameAs(app.bean(ApplicationJson.MAPPER_TYPE));

      DualWrite dualWrite = app.bean(DualWrite.class);
      dualWrite.phases().move("customers", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
      Customer grace = app.bean(CustomerRepository.class).save(new Customer("Grace", "grace@example.com", Tier.GOLD));
      await().atMost(WAIT).until(() -> service.document("customers", grace.getId().toString()).isPresent());
      assertThat(service.document("customers", grace.getId().toString()).orElseThrow().data().path("tier").asText())
          .as("enums by toString(), as the application's mapper writes them").isEqualTo("gold");

      SessionFactory sessions = app.bean(EntityManagerFactory.class).unwrap(SessionFactory.class);
      DualWriteAssertions.assertStoresAgree(dualWrite, DualWriteHibernate.legacySource(sessions, "customers"));
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void refusedRequestsAnswerAStatusAndSayWhy(TestDatabase db) {
    try (RunningMonolith app = RunningMonolith.start(db, service)) {
      assertThat(json(app.post("actuator/dualwrite/customers", "{\"phase\": \"NEW_READS\"}"), 409)
          .path("error").asText())
          .contains("cannot move entity 'customers' from LEGACY_ONLY to NEW_READS", "one step at a time");
      assertThat(json(app.post("actuator/dualwrite/customers", "{\"phase\": \"SIDEWAYS\"}"), 400)
          .path("error").asText())
          .contains("unknown phase 'SIDEWAYS'");
      assertThat(json(app.post("actuator/dualwrite/orders", "{\"phase\": \"DUAL_WRITE\"}"), 404)
          .path("error").asText())
          .contains("unknown entity 'orders'", "[customers]");
      assertThat(app.get("actuator/dualwrite/orders").statusCode()).isEqualTo(404);

      JsonNode forced = json(app.post("actuator/dualwrite/customers",
          "{\"phase\": \"SHADOW_READS\", \"reason\": \"backfilled offline\", \"force\": true}"), 200).path("move");
      assertThat(forced.path("forced").asBoolean()).isTrue();
      assertThat(app.bean(DualWrite.class).phases().current("customers")).isEqualTo(MigrationPhase.SHADOW_READS);
    }
  }

  @DatabaseTest(DatabaseKind.POSTGRESQL)
  void writeOperationsAreRefusedUnlessSwitchedOn(TestDatabase db) {
    try (RunningMonolith app =
        RunningMonolith.start(db, service, "dualwrite.endpoint.write-operations-enabled=false")) {
      assertThat(json(app.get("actuator/dualwrite"), 200).path("writeOperationsEnabled").asBoolean()).isFalse();
      assertThat(json(app.post("actuator/dualwrite/customers", "{\"phase\": \"DUAL_WRITE\"}"), 403)
          .path("error").asText())
          .contains("dualwrite.endpoint.write-operations-enabled=true");
      assertThat(json(app.post("actuator/dualwrite/customers/dead-letters", "{}"), 403).path("error").asText())
          .contains("dualwrite.endpoint.write-operations-enabled=true");
      assertThat(app.bean(DualWrite.class).phases().current("customers")).isEqualTo(MigrationPhase.LEGACY_ONLY);
    }
  }

  private static JsonNode entity(JsonNode report, String name) {
    for (JsonNode entity : report.path("entities")) {
      if (entity.path("name").asText().equals(name)) {
        return entity;
      }
    }
    throw new AssertionError("no entity '" + name + "' in " + report);
  }

  private static JsonNode json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as("status of %s, answered %s", response.uri(), response.body())
        .isEqualTo(status);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

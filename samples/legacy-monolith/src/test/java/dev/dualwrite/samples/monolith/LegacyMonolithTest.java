package dev.dualwrite.samples.monolith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadStats;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The legacy monolith as a client sees it, over HTTP: users and orders are created, changed, read and deleted on its
 * REST API; once a tech lead moves {@code users} to {@code DUAL_WRITE} through the Actuator endpoint, user changes
 * (and only those) reach the new service; user reads follow the phase; after the backfill, both stores agree. On
 * embedded H2, PostgreSQL and MariaDB.
 */
class LegacyMonolithTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private ReferenceMirrorService userService;

  @BeforeEach
  void startUserService() {
    userService = ReferenceMirrorService.start();
  }

  @AfterEach
  void stopUserService() {
    userService.close();
  }

  @Test
  void mirrorsUsersAndRoutesTheirReadsOnH2() {
    mirrorsUsersAndRoutesTheirReads(h2Url());
  }

  @DatabaseTest
  void mirrorsUsersAndRoutesTheirReadsOnARealDatabase(TestDatabase db) {
    mirrorsUsersAndRoutesTheirReads(db.jdbcUrl());
  }

  private void mirrorsUsersAndRoutesTheirReads(String jdbcUrl) {
    try (ConfigurableApplicationContext monolith = start(jdbcUrl)) {
      RestClient http = client(monolith);

      UserView before = create(http, "Ada", "ada@example.com");
      assertThat(post(http, "/actuator/dualwrite/users", Map.of("phase", "DUAL_WRITE", "reason", "start mirroring"))
          .get("move")).asString().contains("to=DUAL_WRITE");

      UserView grace = create(http, "Grace", "grace@example.com");
      UserView linus = create(http, "Linus", "linus@example.com");
      OrderView graceOrder = post(http, "/orders", new OrderForm(grace.id(), "compiler", 4200), OrderView.class);
      OrderView linusOrder = post(http, "/orders", new OrderForm(linus.id(), "kernel", 100), OrderView.class);
      http.put().uri("/users/{id}", grace.id()).contentType(MediaType.APPLICATION_JSON)
          .body(new UserForm("Grace Hopper", "grace@navy.mil")).retrieve().toBodilessEntity();
      http.put().uri("/orders/{id}", graceOrder.id()).contentType(MediaType.APPLICATION_JSON)
          .body(new OrderForm(null, "COBOL compiler", 4300)).retrieve().toBodilessEntity();
      http.delete().uri("/users/{id}", linus.id()).retrieve().toBodilessEntity();

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(userService.document("users", grace.id().toString())).hasValueSatisfying(d -> {
          assertThat(d.data().path("name").asText()).isEqualTo("Grace Hopper");
          assertThat(d.data().path("email").asText()).isEqualTo("grace@navy.mil");
        });
        assertThat(userService.document("users", linus.id().toString()))
            .hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
      });
      assertThat(userService.document("users", before.id().toString()))
          .as("written before DUAL_WRITE: the backfill's job").isEmpty();
      assertThat(userService.liveDocuments("orders")).as("orders are not mirrored").isEmpty();
      assertThat(http.get().uri("/orders/{id}", graceOrder.id()).retrieve().body(OrderView.class))
          .isEqualTo(new OrderView(graceOrder.id(), grace.id(), "Grace Hopper", "COBOL compiler", 4300));
      assertThatThrownBy(() -> http.get().uri("/orders/{id}", linusOrder.id()).retrieve().toBodilessEntity())
          .as("a user's orders go with the user").isInstanceOf(HttpClientErrorException.NotFound.class);

      ReadRouter userReads = monolith.getBean(ReadRouter.class);
      UserView hopper = new UserView(grace.id(), "Grace Hopper", "grace@navy.mil");
      assertThat(read(http, grace.id())).isEqualTo(hopper);
      assertThat(userReads.stats()).extracting(ReadStats::servedByLegacy, ReadStats::servedByNew)
          .containsExactly(1L, 0L);

      DualWrite dualWrite = monolith.getBean(DualWrite.class);
      post(http, "/actuator/dualwrite/users",
          Map.of("phase", "NEW_READS", "reason", "routing test: no backfill needed", "force", true));
      dualWrite.phases().setCanaryPercent("users", 100, "test", "every key");
      assertThat(dualWrite.phases().current("users")).isEqualTo(MigrationPhase.NEW_READS);
      assertThat(read(http, grace.id())).isEqualTo(hopper);
      assertThat(userReads.stats()).extracting(ReadStats::servedByLegacy, ReadStats::servedByNew)
          .containsExactly(1L, 1L);
      assertThatThrownBy(() -> read(http, linus.id())).isInstanceOf(HttpClientErrorException.NotFound.class);
    }
  }

  @Test
  void theBackfillCopiesEarlierUsersAndBothStoresAgree() {
    try (ConfigurableApplicationContext monolith = start(h2Url())) {
      RestClient http = client(monolith);
      UserView ada = create(http, "Ada", "ada@example.com");
      UserView grace = create(http, "Grace", "grace@example.com");
      UserView linus = create(http, "Linus", "linus@example.com");
      DualWrite dualWrite = monolith.getBean(DualWrite.class);
      LegacySource userRows = monolith.getBean(LegacySource.class);

      dualWrite.phases().move("users", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
      http.put().uri("/users/{id}", grace.id()).contentType(MediaType.APPLICATION_JSON)
          .body(new UserForm("Grace Hopper", "grace@navy.mil")).retrieve().toBodilessEntity();
      http.delete().uri("/users/{id}", linus.id()).retrieve().toBodilessEntity();
      create(http, "Barbara", "barbara@example.com");
      Backfill.builder(dualWrite, userRows).build().run();

      DualWriteAssertions.assertStoresAgree(dualWrite, userRows);
      assertThat(userService.document("users", ada.id().toString())).as("copied by the backfill").isPresent();
    }
  }

  private static String h2Url() {
    return "jdbc:h2:mem:monolith-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  private ConfigurableApplicationContext start(String jdbcUrl) {
    return new SpringApplicationBuilder(LegacyMonolithApplication.class).run(
        "--spring.main.banner-mode=off",
        "--spring.datasource.url=" + jdbcUrl,
        "--spring.jpa.hibernate.ddl-auto=create-drop",
        "--server.address=127.0.0.1",
        "--server.port=0",
        "--dualwrite.target.url=" + userService.baseUrl(),
        "--dualwrite.relay.poll-interval=50ms");
  }

  private static RestClient client(ConfigurableApplicationContext monolith) {
    return RestClient.create("http://127.0.0.1:" + monolith.getEnvironment().getProperty("local.server.port"));
  }

  private static UserView create(RestClient http, String name, String email) {
    return post(http, "/users", new UserForm(name, email), UserView.class);
  }

  private static UserView read(RestClient http, long id) {
    return http.get().uri("/users/{id}", id).retrieve().body(UserView.class);
  }

  private static <T> T post(RestClient http, String path, Object body, Class<T> answer) {
    return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(answer);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> post(RestClient http, String path, Map<String, Object> body) {
    return post(http, path, body, Map.class);
  }
}

package dev.dualwrite.samples.userservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.FeedChange;
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.HttpTargetClient;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.target.spi.TargetClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The user service speaks the mirror protocol as dualwrite's own client expects it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.config.name=" + UserServiceApplication.CONFIG_NAME,
    "spring.datasource.url=jdbc:h2:mem:user-service-test;DB_CLOSE_DELAY=-1"})
class UserServiceTest {
  @LocalServerPort int port;
  private TargetClient client;

  @BeforeEach
  void connect() {
    client = HttpTargetClient.builder("http://127.0.0.1:" + port + "/mirror").build();
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static OutboxEntry change(String id, ChangeOperation op, long version, String payload) {
    return new OutboxEntry(version, "users", "users", id, op, version, "key-" + id + "-" + version, payload, 0,
        Instant.EPOCH);
  }

  @Test
  void appliesOnlyNewerVersionsAndKeepsTombstones() {
    assertThat(client.deliver(List.of(change("7", ChangeOperation.UPSERT, 2, "{\"id\":7,\"name\":\"v2\"}"))))
        .containsExactly(DeliveryResult.applied());
    assertThat(client.deliver(List.of(change("7", ChangeOperation.UPSERT, 1, "{\"id\":7,\"name\":\"v1\"}"))))
        .containsExactly(DeliveryResult.stale());
    assertThat(client.get("users", "7").orElseThrow().data().path("name").asText()).isEqualTo("v2");

    assertThat(client.deliver(List.of(change("7", ChangeOperation.DELETE, 3, null))))
        .containsExactly(DeliveryResult.applied());
    assertThat(client.deliver(List.of(change("7", ChangeOperation.UPSERT, 2, "{\"id\":7}"))))
        .as("an older upsert cannot resurrect a deleted user").containsExactly(DeliveryResult.stale());
    assertThat(client.get("users", "7")).isEmpty();
  }

  @Test
  void takesBatchesAndListsInProtocolOrder() {
    List<DeliveryResult> results = client.deliver(List.of(
        change("10", ChangeOperation.UPSERT, 1, "{\"id\":10}"),
        change("9", ChangeOperation.UPSERT, 1, "{\"id\":9}"),
        change("abc", ChangeOperation.UPSERT, 1, "{\"id\":\"abc\"}"),
        change("-3", ChangeOperation.UPSERT, 1, "{\"id\":-3}")));
    assertThat(results).allMatch(r -> r.outcome().delivered());

    TargetPage first = client.list("users", null, 2);
    TargetPage second = client.list("users", first.next(), 10);
    assertThat(first.items()).extracting(TargetDocument::id).containsExactly("-3", "9");
    assertThat(second.items()).extracting(TargetDocument::id).startsWith("10").endsWith("abc");
    assertThat(client.getMany("users", List.of("abc", "missing", "9")))
        .extracting(TargetDocument::id).containsExactly("abc", "9");
  }

  @Test
  void writesThroughItsOwnApiTakeGreaterVersionsAndAppearInTheFeedWithMirroredOnes() throws Exception {
    client.deliver(List.of(change("77", ChangeOperation.UPSERT, 40, "{\"id\":77,\"name\":\"from legacy\"}")));
    HttpClient http = HttpClient.newHttpClient();
    URI user = URI.create("http://127.0.0.1:" + port + "/api/users/77");
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(user)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"id\":77,\"name\":\"from the service\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);

    FeedPage feed = client.changes("users", null, 100);
    List<FeedChange> of77 = feed.items().stream().filter(c -> c.id().equals("77")).toList();
    assertThat(of77).extracting(FeedChange::version, FeedChange::fromMirror)
        .containsExactly(tuple(40L, true), tuple(41L, false));
    assertThat(of77.get(1).data().path("name").asText()).isEqualTo("from the service");
    assertThat(client.get("users", "77").orElseThrow().version()).isEqualTo(41);
    assertThat(client.changes("users", feed.next(), 100).items()).isEmpty();
  }
}

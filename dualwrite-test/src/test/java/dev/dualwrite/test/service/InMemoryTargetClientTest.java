package dev.dualwrite.test.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.target.DeliveryOutcome;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.FeedChange;
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTargetClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InMemoryTargetClient service = new InMemoryTargetClient();

  private static OutboxEntry change(String id, ChangeOperation operation, long version, String key, String payload) {
    return new OutboxEntry(version, "users", "users", id, operation, version, key, payload, 0, Instant.EPOCH);
  }

  @Test
  void appliesAChangeOnlyWhenItsVersionIsNewerAndATombstoneKeepsItsVersion() {
    List<DeliveryResult> results = service.deliver(List.of(
        change("1", ChangeOperation.UPSERT, 5, "a", "{\"name\":\"Ada\"}"),
        change("1", ChangeOperation.UPSERT, 4, "b", "{\"name\":\"old\"}"),
        change("2", ChangeOperation.UPSERT, 1, "c", "{\"name\":\"Bob\"}"),
        change("2", ChangeOperation.DELETE, 2, "d", null),
        change("2", ChangeOperation.UPSERT, 1, "e", "{\"name\":\"Bob again\"}")));

    assertThat(results).extracting(DeliveryResult::outcome).containsExactly(DeliveryOutcome.APPLIED,
        DeliveryOutcome.STALE, DeliveryOutcome.APPLIED, DeliveryOutcome.APPLIED, DeliveryOutcome.STALE);
    assertThat(service.get("users", "1")).get().extracting(TargetDocument::version).isEqualTo(5L);
    assertThat(service.get("users", "1").orElseThrow().data().get("name").asText()).isEqualTo("Ada");
    assertThat(service.get("users", "2")).as("deleted").isEmpty();
    assertThat(service.document("users", "2").orElseThrow().deleted()).isTrue();
    assertThat(service.getMany("users", List.of("2", "1", "3"))).extracting(TargetDocument::id).containsExactly("1");
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheFirstOutcome() {
    assertThat(service.deliver(List.of(change("1", ChangeOperation.UPSERT, 1, "k", "{}"))).get(0).outcome())
        .isEqualTo(DeliveryOutcome.APPLIED);
    assertThat(service.deliver(List.of(change("1", ChangeOperation.UPSERT, 1, "k", "{}"))).get(0).outcome())
        .as("a retried delivery of the same change").isEqualTo(DeliveryOutcome.APPLIED);
    assertThat(service.deliver(List.of(change("1", ChangeOperation.UPSERT, 1, "other", "{}"))).get(0).outcome())
        .isEqualTo(DeliveryOutcome.STALE);
  }

  @Test
  void listsLiveDocumentsInTheProtocolsKeyOrderPageByPage() throws Exception {
    for (String id : List.of("10", "2", "1", "3")) {
      service.plant("users", id, 1, JSON.readTree("{}"));
    }
    service.deliver(List.of(change("3", ChangeOperation.DELETE, 2, "x", null)));

    var first = service.list("users", null, 2);
    assertThat(first.items()).extracting(TargetDocument::id).containsExactly("1", "2");
    var second = service.list("users", first.next(), 2);
    assertThat(second.items()).extracting(TargetDocument::id).containsExactly("10");
    assertThat(second.next()).isNull();
  }

  @Test
  void itsFeedListsMirroredAndOwnWritesInOrderAndResumesFromItsCursor() throws Exception {
    service.deliver(List.of(change("1", ChangeOperation.UPSERT, 7, "a", "{\"n\":1}"),
        change("1", ChangeOperation.UPSERT, 6, "b", "{\"n\":0}")));
    service.writeThroughOwnApi("users", "1", JSON.readTree("{\"n\":2}"));
    service.writeThroughOwnApi("users", "1", null);

    FeedPage first = service.changes("users", null, 2);
    assertThat(first.items()).extracting(FeedChange::version, FeedChange::operation, FeedChange::fromMirror)
        .containsExactly(tuple(7L, ChangeOperation.UPSERT, true), tuple(8L, ChangeOperation.UPSERT, false));
    assertThat(first.head()).isEqualTo("3");
    FeedPage rest = service.changes("users", first.next(), 2);
    assertThat(rest.items()).extracting(FeedChange::version, FeedChange::operation)
        .containsExactly(tuple(9L, ChangeOperation.DELETE));
    assertThat(rest.items().get(0).data()).isNull();
    assertThat(service.changes("users", rest.next(), 2).items()).isEmpty();
    assertThat(service.changes("users", rest.next(), 2).next()).isEqualTo(rest.next());
  }

  @Test
  void failsEveryCallWhileToldTo() {
    service.failWith(new TargetException(503, "down for a test", null));
    assertThatThrownBy(() -> service.get("users", "1")).isInstanceOf(TargetException.class)
        .hasMessageContaining("down for a test");
    service.failWith(null);
    assertThat(service.get("users", "1")).isEmpty();
  }

  @Test
  void servesAReadRoutersNewReads() throws Exception {
    service.plant("users", "1", 3, JSON.readTree("{\"id\":1,\"name\":\"Ada\"}"));
    try (DualWrite dualWrite = DualWrite.builder().withPhaseStore(PhaseStore.inMemory())
        .withEntity(EntityMigration.builder("users").withCanaryPercent(100).build()).build()) {
      dualWrite.phases().forceMove("users", MigrationPhase.NEW_READS, "test", "reads from the new service");
      ReadRouter users = ReadRouter.builder(dualWrite, "users").withTargetClient(service).build();

      String name = users.read("1", () -> "legacy", () -> service.get("users", "1").orElseThrow().data()
          .get("name").asText());

      assertThat(name).isEqualTo("Ada");
    }
  }
}

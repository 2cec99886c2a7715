package dev.dualwrite.read;

import static dev.dualwrite.phase.MigrationPhase.NEW_ONLY;
import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.phase.Store;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** By-id reads work out of the box against the mirror protocol's read endpoints. */
class ByIdReadsTest {
  private final MockUserService service = new MockUserService();
  private final TargetClient client = service.client(Duration.ofSeconds(5));

  @AfterEach
  void stop() {
    client.close();
    service.close();
  }

  private static UserView legacyUser(Long id) {
    return new UserView(id, "user" + id + "@example.com", "legacy " + id);
  }

  @Test
  void theNewServicesJsonIsMappedToTheCallersType() {
    service.put(1, "Ada");
    try (ReadTestNode node = ReadTestNode.comparingEveryRead().in(NEW_ONLY);
        ReadRouter router = node.router().withTargetClient(client).build()) {
      ByIdReader<Long, UserView> users = router.byId(UserView.class, ByIdReadsTest::legacyUser);

      assertThat(users.get(1L)).contains(new UserView(1, "user1@example.com", "Ada"));
      assertThat(users.get(2L)).as("not held by the service").isEmpty();
      assertThat(service.requestedIds).containsExactly(List.of("1"), List.of("2"));
    }
  }

  @Test
  void aDocumentThatCannotBeMappedFailsNamingTheEntityTheIdAndTheType() {
    service.put(1, "Ada");
    record Strict(long id, int name) {}
    try (ReadTestNode node = ReadTestNode.comparingEveryRead().in(NEW_ONLY);
        ReadRouter router = node.router().withTargetClient(client).build()) {

      assertThatThrownBy(() -> router.byId(Strict.class, (Long id) -> null).get(1L))
          .isInstanceOf(DualWriteException.class)
          .hasMessageContaining("cannot map users 1 from the new service to " + Strict.class.getName())
          .hasMessageContaining("withObjectMapper");
    }
  }

  @Test
  void getAllRoutesEachIdOnItsOwnAndMergesTheAnswersInOrder() {
    List<Long> ids = LongStream.rangeClosed(1, 40).boxed().toList();
    ids.forEach(id -> service.put(id, "new " + id));
    List<List<Long>> legacyAsked = new CopyOnWriteArrayList<>();
    Function<List<Long>, Map<Long, UserView>> legacyMany = asked -> {
      legacyAsked.add(asked);
      return asked.stream().collect(Collectors.toMap(id -> id, ByIdReadsTest::legacyUser));
    };
    try (ReadTestNode node = ReadTestNode.with(e -> e.withCanaryPercent(50).withShadowSampleRate(0)).in(NEW_READS);
        ReadRouter router = node.router().withTargetClient(client).build()) {
      List<Long> canary = ids.stream().filter(id -> router.storeFor(id) == Store.NEW).toList();
      List<Long> others = ids.stream().filter(id -> !canary.contains(id)).toList();
      assertThat(canary).isNotEmpty();
      assertThat(others).isNotEmpty();

      Map<Long, UserView> users =
          router.byId(UserView.class, ByIdReadsTest::legacyUser, legacyMany).getAll(ids);

      assertThat(users.keySet()).containsExactlyElementsOf(ids);
      users.forEach((id, user) -> assertThat(user.name()).isEqualTo((canary.contains(id) ? "new " : "legacy ") + id));
      assertThat(legacyAsked).containsExactly(others);
      assertThat(service.requestedIds).containsExactly(canary.stream().map(String::valueOf).toList());
      assertThat(router.stats().servedByNew()).isEqualTo(canary.size());
      assertThat(router.stats().servedByLegacy()).isEqualTo(others.size());
    }
  }

  @Test
  void getAllAsksTheNewServiceForAtMostOneThousandIdsAtATime() {
    List<Long> ids = LongStream.rangeClosed(1, 1001).boxed().toList();
    ids.forEach(id -> service.put(id, "new " + id));
    try (ReadTestNode node = ReadTestNode.comparingEveryRead().in(NEW_ONLY);
        ReadRouter router = node.router().withTargetClient(client).build()) {

      Map<Long, UserView> users = router.byId(UserView.class, ByIdReadsTest::legacyUser).getAll(ids);

      assertThat(users).hasSize(1001);
      assertThat(service.requestedIds).extracting(List::size).containsExactly(1000, 1);
    }
  }

  @Test
  void byIdReadsNeedATargetClient() {
    try (ReadTestNode node = ReadTestNode.comparingEveryRead();
        ReadRouter router = node.router().build()) {

      assertThatThrownBy(() -> router.byId(UserView.class, ByIdReadsTest::legacyUser))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("by-id reads of entity 'users' need a client of the new service")
          .hasMessageContaining("withTargetClient");
    }
  }
}

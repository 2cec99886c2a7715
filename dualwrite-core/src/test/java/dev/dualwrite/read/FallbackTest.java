package dev.dualwrite.read;

import static dev.dualwrite.phase.MigrationPhase.NEW_READS;
import static dev.dualwrite.phase.MigrationPhase.NEW_WRITES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.spi.TargetClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In NEW_READS a failing or slow new service does not fail the read: legacy serves it, and it is counted. */
class FallbackTest {
  private static final UserView ADA = new UserView(1, "ada@example.com", "Ada");

  private final MockUserService service = new MockUserService().put(1, "Ada from the new service");
  private final TargetClient client = service.client(Duration.ofMillis(300));
  private final List<Throwable> fallbacks = new CopyOnWriteArrayList<>();
  private final ReadListener recorder = new ReadListener() {
    @Override
    public void onFallback(String entity, String key, Throwable failure) {
      fallbacks.add(failure);
    }
  };

  @AfterEach
  void stop() {
    client.close();
    service.close();
  }

  private ReadTestNode node() {
    return ReadTestNode.with(e -> e.withCanaryPercent(100).withShadowSampleRate(0)).in(NEW_READS);
  }

  @Test
  void aServerErrorIsServedByLegacyAndCounted() {
    service.answerEveryRequestWith(MockUserService.json(503, "{\"error\":\"overloaded\"}"));
    try (ReadTestNode node = node();
        ReadRouter router = node.router().withTargetClient(client).onReadEvent(recorder).build()) {

      assertThat(router.byId(UserView.class, id -> ADA).get(1L)).contains(ADA);

      assertThat(fallbacks).singleElement()
          .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.status()).isEqualTo(503));
      ReadStats stats = router.stats();
      assertThat(stats.fallbacks()).isEqualTo(1);
      assertThat(stats.servedByLegacy()).isEqualTo(1);
      assertThat(stats.servedByNew()).isZero();
    }
  }

  @Test
  void aTimeoutIsServedByLegacyAndCounted() {
    service.answerEveryRequestWith(MockUserService.json(200, "{}").newBuilder()
        .headersDelay(10, TimeUnit.SECONDS).build());
    try (ReadTestNode node = node();
        ReadRouter router = node.router().withTargetClient(client).onReadEvent(recorder).build()) {

      assertThat(router.byId(UserView.class, id -> ADA).get(1L)).contains(ADA);

      assertThat(fallbacks).singleElement().isInstanceOfSatisfying(TargetException.class,
          e -> assertThat(e.getMessage()).contains("unreachable").containsIgnoringCase("timeout"));
      assertThat(router.stats().fallbacks()).isEqualTo(1);
    }
  }

  @Test
  void aFailedReadOfManyIdsIsServedByLegacyForEachOfThem() {
    service.answerEveryRequestWith(MockUserService.json(500, "{\"error\":\"bug\"}"));
    List<List<Long>> legacyAsked = new CopyOnWriteArrayList<>();
    try (ReadTestNode node = node();
        ReadRouter router = node.router().withTargetClient(client).build()) {
      ByIdReader<Long, UserView> users = router.byId(UserView.class, id -> null, ids -> {
        legacyAsked.add(ids);
        return ids.stream().collect(Collectors.toMap(id -> id, id -> new UserView(id, "x", "legacy")));
      });

      Map<Long, UserView> found = users.getAll(List.of(1L, 2L, 3L));

      assertThat(found).containsOnlyKeys(1L, 2L, 3L);
      assertThat(legacyAsked).containsExactly(List.of(1L, 2L, 3L));
      assertThat(router.stats().fallbacks()).isEqualTo(3);
    }
  }

  @Test
  void withoutFallbackTheFailureReachesTheCaller() {
    service.answerEveryRequestWith(MockUserService.json(503, "{\"error\":\"overloaded\"}"));
    try (ReadTestNode node = node();
        ReadRouter router = node.router().withTargetClient(client).withFallbackToLegacy(false).build()) {

      assertThatThrownBy(() -> router.byId(UserView.class, id -> ADA).get(1L))
          .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.status()).isEqualTo(503));
      assertThat(router.stats().fallbacks()).isZero();
    }
  }

  @Test
  void onceTheNewServiceIsAuthoritativeThereIsNoFallback() {
    service.answerEveryRequestWith(MockUserService.json(503, "{\"error\":\"overloaded\"}"));
    try (ReadTestNode node = node().in(NEW_WRITES);
        ReadRouter router = node.router().withTargetClient(client).build()) {

      assertThatThrownBy(() -> router.byId(UserView.class, id -> ADA).get(1L))
          .isInstanceOf(TargetException.class);
      assertThat(router.stats().fallbacks()).isZero();
    }
  }
}

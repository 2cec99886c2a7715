package dev.dualwrite.read;

import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.snapshot.Difference;
import dev.dualwrite.target.TargetException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a comparison counts as a mismatch, and what a mismatch report may carry. */
class MismatchReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UserView ADA = new UserView(1, "ada@example.com", "Ada");

  private final ReadTestNode node = ReadTestNode.comparingEveryRead().in(SHADOW_READS);
  private final StubTargetClient service = new StubTargetClient();
  private final List<Mismatch> mismatches = new CopyOnWriteArrayList<>();
  private final List<ComparedRead> ignored = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final ReadListener recorder = new ReadListener() {
    @Override
    public void onMismatched(Mismatch mismatch) {
      mismatches.add(mismatch);
    }

    @Override
    public void onIgnored(ComparedRead read) {
      ignored.add(read);
    }

    @Override
    public void onError(String entity, String key, Throwable error) {
      errors.add(error);
    }
  };

  @BeforeEach
  void captureMismatchLog() {
    logged.start();
    ((Logger) LoggerFactory.getLogger("dev.dualwrite.read.mismatches")).addAppender(logged);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger("dev.dualwrite.read.mismatches")).detachAppender(logged);
    node.close();
  }

  /** Compares on the caller's thread (an inline executor), so each test sees the outcome at once. */
  private ReadRouterBuilder router() {
    return node.router().withTargetClient(service).withShadowExecutor(Runnable::run).onReadEvent(recorder);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private String everythingReported() {
    return mismatches + " " + mismatches.stream().map(Mismatch::describe).toList() + " "
        + logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aFieldChangedOnlyInTheNewStoreIsReportedWithBothValuesAndSensitiveFieldsCleaned() {
    service.put("1", "{\"id\":1,\"email\":\"ada@example.com\",\"name\":\"Adah\"}");
    try (ReadRouter router = router().build()) {
      ByIdReader<Long, UserView> users = router.byId(UserView.class, id -> id == 1 ? ADA : null);

      assertThat(users.get(1L)).contains(ADA);

      assertThat(mismatches).hasSize(1);
      Mismatch mismatch = mismatches.get(0);
      assertThat(mismatch.differences())
          .containsExactly(new Difference("/name", "\"Ada\"", "\"Adah\""));
      assertThat(mismatch.legacy().snapshot().get("email").asText()).isEqualTo("***");
      assertThat(mismatch.newService().snapshot().get("email").asText()).isEqualTo("***");
      assertThat(mismatch.read().key()).isEqualTo("1");
      assertThat(mismatch.describe()).contains("users 1 differs in SHADOW_READS (served by LEGACY): "
          + "/name: legacy \"Ada\", new \"Adah\"");
      assertThat(logged.list).hasSize(1);
      assertThat(logged.list.get(0).getFormattedMessage()).contains("/name: legacy \"Ada\", new \"Adah\"");
      assertThat(everythingReported()).doesNotContain("ada@example.com");
      assertThat(router.stats().mismatched().count()).isEqualTo(1);
    }
  }

  @Test
  void aDifferenceInASensitiveFieldIsReportedByPathWithoutEitherValue() {
    service.put("1", "{\"id\":1,\"email\":\"ada@attacker.example\",\"name\":\"Ada\"}");
    try (ReadRouter router = router().build()) {

      router.byId(UserView.class, id -> ADA).get(1L);

      assertThat(mismatches).singleElement().satisfies(m -> assertThat(m.differences())
          .containsExactly(new Difference("/email", Difference.MASKED, Difference.MASKED)));
      assertThat(everythingReported()).doesNotContain("ada@example.com").doesNotContain("ada@attacker.example");
    }
  }

  @Test
  void aFailureQuotingASensitiveValueIsReportedMasked() {
    service.failWith(new TargetException(500, "GET /mirror/v1/users/1 answered 500: {\"email\":\"ada@example.com\"}",
        null));
    try (ReadRouter router = router().build()) {

      assertThat(router.byId(UserView.class, id -> ADA).get(1L)).contains(ADA);

      Mismatch mismatch = mismatches.get(0);
      assertThat(mismatch.newService().snapshot()).isNull();
      assertThat(mismatch.newService().failure()).isEqualTo(
          "TargetException: GET /mirror/v1/users/1 answered 500: {\"email\":\"***\"}");
      assertThat(mismatch.differences()).isEmpty();
      assertThat(everythingReported()).doesNotContain("ada@example.com");
    }
  }

  @Test
  void ignoredFieldsAndNormalisersTurnExpectedDifferencesIntoMatches() {
    JsonNode legacy = json("{\"id\":1,\"email\":\"Ada@Example.com\",\"score\":1,\"updatedAt\":\"2024-01-01\"}");
    JsonNode newService = json("{\"id\":1,\"email\":\"ada@example.com\",\"score\":1.0,\"updatedAt\":\"2024-06-01\","
        + "\"nickname\":null}");
    try (ReadRouter plain = router().build();
        ReadRouter tuned = router()
            .withIgnoredFields("updatedAt")
            .withNormaliser(snapshot -> ((ObjectNode) snapshot)
                .put("email", snapshot.path("email").asText().toLowerCase(Locale.ROOT)))
            .build()) {

      plain.read(1, () -> legacy, () -> newService);
      tuned.read(1, () -> legacy, () -> newService);

      assertThat(mismatches).singleElement().satisfies(m -> assertThat(m.differences())
          .as("numbers compare by value; a null field counts as absent")
          .extracting(Difference::path).containsExactly("/email", "/updatedAt"));
      assertThat(tuned.stats().matched().count()).isEqualTo(1);
      assertThat(tuned.stats().mismatched().count()).isZero();
    }
  }

  @Test
  void anIgnoreRuleSeesBothWholeObservationsAndSetsThePairAside() {
    service.failWith(new TargetException(503, "GET /mirror/v1/users/1 answered 503: busy", null));
    List<Observation> seen = new CopyOnWriteArrayList<>();
    try (ReadRouter router = router()
        .withIgnoreRule((key, legacy, newService) -> {
          seen.add(legacy);
          seen.add(newService);
          return newService.failure() instanceof TargetException e && e.status() == 503;
        })
        .build()) {

      assertThat(router.byId(UserView.class, id -> ADA).get(1L)).contains(ADA);

      assertThat(seen).hasSize(2);
      assertThat(seen.get(0).value()).isEqualTo(ADA);
      assertThat(seen.get(0).snapshot().get("name").asText()).isEqualTo("Ada");
      assertThat(seen.get(1).failed()).isTrue();
      assertThat(ignored).singleElement().satisfies(read -> assertThat(read.key()).isEqualTo("1"));
      assertThat(mismatches).isEmpty();
      assertThat(router.stats().ignored().count()).isEqualTo(1);
      assertThat(router.stats().compared().count()).isEqualTo(1);
    }
  }

  @Test
  void reportCleanersRemoveMoreThanTheSensitiveFields() {
    JsonNode legacy = json("{\"id\":1,\"address\":{\"street\":\"1 Main St\",\"zip\":\"12345\"}}");
    JsonNode newService = json("{\"id\":1,\"address\":{\"street\":\"1 Main St\",\"zip\":\"54321\"}}");
    try (ReadRouter router = router()
        .withReportCleaner(snapshot -> {
          ((ObjectNode) snapshot.path("address")).remove("zip");
          return snapshot;
        })
        .build()) {

      router.read(1, () -> legacy, () -> newService);

      Mismatch mismatch = mismatches.get(0);
      assertThat(mismatch.differences())
          .containsExactly(new Difference("/address/zip", Difference.MASKED, Difference.MASKED));
      assertThat(mismatch.legacy().snapshot().path("address").has("zip")).isFalse();
      assertThat(everythingReported()).doesNotContain("12345").doesNotContain("54321");
    }
  }

  @Test
  void aThrowingComparatorNeverReachesTheCaller() {
    IllegalStateException bug = new IllegalStateException("comparator bug");
    try (ReadRouter router = router().build()) {

      String value = router.read(1, () -> "legacy", () -> "new", (legacy, newService) -> {
        throw bug;
      });

      assertThat(value).isEqualTo("legacy");
      assertThat(errors).containsExactly(bug);
      assertThat(router.stats().errors()).isEqualTo(1);
      assertThat(router.stats().compared().count()).isZero();
    }
  }

  @Test
  void aThrowingListenerNeverReachesTheCaller() {
    try (ReadRouter router = router()
        .onReadEvent(new ReadListener() {
          @Override
          public void onMismatched(Mismatch mismatch) {
            throw new IllegalStateException("listener bug");
          }
        })
        .build()) {

      assertThat(router.<String>read(1, () -> "legacy", () -> "new")).isEqualTo("legacy");

      assertThat(router.stats().mismatched().count()).isEqualTo(1);
      assertThat(router.stats().errors()).isEqualTo(1);
      assertThat(mismatches).as("the other listener still heard it").hasSize(1);
    }
  }

  interface Named {
    String name();
  }

  record LegacyUser(long id, String name, String passwordHash) implements Named {}

  record ServiceUser(String displayName) implements Named {
    @Override
    public String name() {
      return displayName;
    }
  }

  @Test
  void answersOfDifferentTypesAreComparedWithATypedComparator() {
    ResultComparator<LegacyUser, ServiceUser> sameName = (legacy, newService) -> legacy.name().equals(newService.displayName());
    try (ReadRouter router = router().build()) {

      Named ada = router.read(1, () -> new LegacyUser(1, "Ada", "x"), () -> new ServiceUser("Ada"), sameName);
      Named bob = router.read(2, () -> new LegacyUser(2, "Bob", "x"), () -> new ServiceUser("Robert"), sameName);

      assertThat(ada.name()).isEqualTo("Ada");
      assertThat(bob.name()).isEqualTo("Bob");
      assertThat(router.stats().matched().count()).isEqualTo(1);
      assertThat(mismatches).singleElement().satisfies(m -> assertThat(m.read().key()).isEqualTo("2"));
    }
  }

  @Test
  void inTestModeAMismatchThrowsToTheCallerAndAMatchPasses() {
    service.put("1", "{\"id\":1,\"email\":\"ada@example.com\",\"name\":\"Adah\"}");
    service.put("2", "{\"id\":2,\"email\":\"bob@example.com\",\"name\":\"Bob\"}");
    try (ReadTestNode sampledRarely = ReadTestNode.with(e -> e.withShadowSampleRate(0.01)).in(SHADOW_READS);
        ReadRouter router = sampledRarely.router().withTargetClient(service).withTestMode(true).build()) {
      ByIdReader<Long, UserView> users =
          router.byId(UserView.class, id -> id == 1 ? ADA : new UserView(2, "bob@example.com", "Bob"));

      assertThat(users.get(2L)).hasValueSatisfying(user -> assertThat(user.name()).isEqualTo("Bob"));
      assertThatThrownBy(() -> users.get(1L))
          .isInstanceOf(ReadMismatchException.class)
          .hasMessageContaining("users 1 differs in SHADOW_READS")
          .hasMessageContaining("/name: legacy \"Ada\", new \"Adah\"")
          .hasMessageNotContaining("ada@example.com")
          .satisfies(e -> assertThat(((ReadMismatchException) e).mismatch().differences()).hasSize(1));
      assertThat(router.stats().compared().count()).as("test mode compares every read").isEqualTo(2);
    }
  }

  @Test
  void inTestModeAFailingComparisonThrowsToo() {
    try (ReadRouter router = node.router().withTestMode(true).build()) {

      assertThatThrownBy(() -> router.read(1, () -> "a", () -> "b", (legacy, newService) -> {
        throw new IllegalStateException("comparator bug");
      }))
          .isInstanceOf(ReadMismatchException.class)
          .hasMessageContaining("comparing the answers of a read of users 1 in SHADOW_READS failed")
          .hasRootCauseMessage("comparator bug");
    }
  }
}

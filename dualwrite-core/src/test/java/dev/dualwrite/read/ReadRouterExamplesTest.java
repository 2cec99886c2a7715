package dev.dualwrite.read;

import static dev.dualwrite.phase.MigrationPhase.SHADOW_READS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dualwrite.DualWrite;
import dev.dualwrite.target.TargetException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/read-router.md, as they appear there (between the "doc:" markers), and what they do. */
class ReadRouterExamplesTest {
  private final ReadTestNode node = ReadTestNode.comparingEveryRead().in(SHADOW_READS);
  private final DualWrite dualWrite = node.dualWrite;
  private final StubTargetClient service = new StubTargetClient()
      .put("42", "{\"id\":42,\"email\":\"ada@example.com\",\"name\":\"Ada\",\"updatedAt\":\"2030-01-02\"}");
  private final ThreadPoolExecutor shadowPool =
      new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(100));

  @AfterEach
  void stop() {
    shadowPool.shutdownNow();
    node.close();
  }

  /** The legacy side: how the monolith reads users today. */
  static final class UserDao {
    UserView find(long id) {
      return id == 42 ? new UserView(42, "ada@example.com", "Ada") : null;
    }
  }

  interface Profile {
    String displayName();
  }

  /** What the monolith's own profile query returns. */
  record LegacyProfile(long id, String firstName, String lastName) implements Profile {
    @Override
    public String displayName() {
      return firstName + " " + lastName;
    }
  }

  /** What the new service's own API returns. */
  record ServiceProfile(long id, String displayName) implements Profile {}

  static final class ProfileDao {
    LegacyProfile load(long userId) {
      return new LegacyProfile(userId, "Ada", "Lovelace");
    }
  }

  static final class ProfileClient {
    ServiceProfile fetch(long userId) {
      return new ServiceProfile(userId, "Ada Lovelace");
    }
  }

  @Test
  void byId() {
    UserDao userDao = new UserDao();
    // doc: by-id
    ReadRouter users = ReadRouter.builder(dualWrite, "users")
        .withTargetClient(service)          // optional: dualWrite's target client by default
        .build();
    ByIdReader<Long, UserView> userById = users.byId(UserView.class, id -> userDao.find(id));

    Optional<UserView> ada = userById.get(42L);
    Map<Long, UserView> some = userById.getAll(List.of(42L, 43L));
    // doc: end

    assertThat(ada).hasValueSatisfying(user -> assertThat(user.name()).isEqualTo("Ada"));
    assertThat(some).containsOnlyKeys(42L);
    await().until(() -> users.stats().compared().count() == 3);
    assertThat(users.stats().matched().count()).isEqualTo(3);
    users.close();
  }

  @Test
  void customQuery() {
    ProfileDao profileDao = new ProfileDao();
    ProfileClient profileClient = new ProfileClient();
    long userId = 42;
    ReadRouter users = ReadRouter.builder(dualWrite, "users").build();
    // doc: custom query
    Profile profile = users.read(userId,
        () -> profileDao.load(userId),        // legacy: LegacyProfile
        () -> profileClient.fetch(userId),    // the new service's own API: ServiceProfile
        (legacy, newService) -> legacy.displayName().equals(newService.displayName()));
    // doc: end

    assertThat(profile.displayName()).isEqualTo("Ada Lovelace");
    await().until(() -> users.stats().matched().count() == 1);
    users.close();
  }

  @Test
  void everySetting() {
    LongAdder mismatches = new LongAdder();
    UserDao userDao = new UserDao();
    // doc: settings
    ReadRouter users = ReadRouter.builder(dualWrite, "users")
        .withTargetClient(service)                      // for by-id reads; default: dualWrite.targetClient()
        .withShadowExecutor(shadowPool)                 // bounded: when full, shadow reads are dropped and counted
        .withShadowTimeout(Duration.ofMillis(500))      // a shadow read slower than this compares as a timeout
        .withReadYourWrites(ReadYourWrites.THIS_NODE)   // OFF, THIS_NODE (default) or ALL_NODES
        .withFallbackToLegacy(true)                     // NEW_READS: new service fails -> legacy serves (default)
        .withIgnoredFields("updatedAt", "/address/geo") // left out of comparisons and reports
        .withNormaliser(snapshot -> ((ObjectNode) snapshot)
            .put("email", snapshot.path("email").asText().toLowerCase(Locale.ROOT)))
        .withIgnoreRule(IgnoreRule.failures())          // compare data, not availability
        .withReportCleaner(snapshot -> ((ObjectNode) snapshot).without("phone"))
        .onReadEvent(new ReadListener() {
          @Override
          public void onMismatched(Mismatch mismatch) {
            mismatches.increment();                     // e.g. a Micrometer counter
          }
        })
        .build();
    // doc: end
    ByIdReader<Long, UserView> userById = users.byId(UserView.class, userDao::find);

    userById.get(42L);
    await().until(() -> users.stats().compared().count() == 1);
    service.put("42", "{\"id\":42,\"email\":\"ADA@example.com\",\"name\":\"Ada\"}");
    userById.get(42L);
    await().until(() -> users.stats().compared().count() == 2);
    service.failWith(new TargetException(503, "busy", null));
    userById.get(42L);
    await().until(() -> users.stats().compared().count() == 3);

    assertThat(users.stats().matched().count()).as("updatedAt ignored, email normalised").isEqualTo(2);
    assertThat(users.stats().ignored().count()).as("the failure set aside").isEqualTo(1);
    assertThat(mismatches.sum()).isZero();
    users.close();
  }

  @Test
  void testMode() {
    service.put("42", "{\"id\":42,\"email\":\"ada@example.com\",\"name\":\"Ada L.\"}");
    // doc: test mode
    ReadRouter users = ReadRouter.builder(dualWrite, "users")
        .withTargetClient(service)
        .withTestMode(true)       // compare every read, on the caller's thread; a mismatch throws
        .build();

    assertThatThrownBy(() -> users.byId(UserView.class, new UserDao()::find).get(42L))
        .isInstanceOf(ReadMismatchException.class)
        .hasMessageContaining("/name: legacy \"Ada\", new \"Ada L.\"");
    // doc: end
    users.close();
  }
}

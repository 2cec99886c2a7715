package dev.dualwrite.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.phase.MigrationPhase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder refuses bad settings with a message naming the setting, its value and what is allowed. */
class ReadRouterBuilderTest {
  private final ReadTestNode node = ReadTestNode.comparingEveryRead();

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void anUnknownEntityIsRefusedNamingTheConfiguredOnes() {
    assertThatThrownBy(() -> ReadRouter.builder(node.dualWrite, "orders").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown entity 'orders'; configured entities are [users]");
  }

  @Test
  void theShadowTimeoutMustBePositiveAndAtMostTenMinutes() {
    assertThatThrownBy(() -> node.router().withShadowTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shadowTimeout of the read router for entity 'users' is PT0S; allowed: more than 0 and at most"
            + " 10 minutes (PT10M)");
    assertThatThrownBy(() -> node.router().withShadowTimeout(Duration.ofMinutes(11)).build())
        .hasMessageContaining("is PT11M");
  }

  @Test
  void readYourWritesAcrossNodesNeedsTheOutbox() {
    assertThatThrownBy(() -> node.router().withReadYourWrites(ReadYourWrites.ALL_NODES).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readYourWrites of the read router for entity 'users' is ALL_NODES")
        .hasMessageContaining("withDataSource");
    assertThatThrownBy(() -> node.router().withReadYourWrites(null).build())
        .hasMessageContaining("readYourWrites of the read router for entity 'users' is null");
  }

  @Test
  void ignoredFieldsMustNotBeBlank() {
    assertThatThrownBy(() -> node.router().withIgnoredFields("updatedAt", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ignoredFields of entity 'users' has ' '; allowed: a field name or a JSON Pointer (/a/b)");
    assertThatThrownBy(() -> node.router().withIgnoredFields((String) null))
        .hasMessageContaining("has null");
  }

  @Test
  void nullPlugInsAreRefusedAtOnce() {
    assertThatThrownBy(() -> node.router().withNormaliser(null)).hasMessage("normaliser of entity 'users' is null");
    assertThatThrownBy(() -> node.router().withIgnoreRule(null)).hasMessage("ignore rule of entity 'users' is null");
    assertThatThrownBy(() -> node.router().onReadEvent(null)).hasMessage("read listener of entity 'users' is null");
  }

  @Test
  void whatIsBuiltDoesNotChangeWithTheBuilder() {
    node.in(MigrationPhase.SHADOW_READS);
    ReadRouterBuilder builder = node.router().withShadowExecutor(Runnable::run).withIgnoredFields("updatedAt");
    try (ReadRouter router = builder.build()) {
      builder.withIgnoredFields("name");

      router.read(1, () -> Map.of("name", "Ada", "updatedAt", 1), () -> Map.of("name", "Adah", "updatedAt", 2));

      assertThat(router.stats().mismatched().count()).as("name is still compared").isEqualTo(1);
    }
  }
}

package dev.dualwrite.spring.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.support.GenericApplicationContext;

/** Which Spring Boot versions the starters run on, and what an application on another one is told. */
class SupportedSpringBootTest {

  @Test
  void theRunningSpringBootAndItsStarterPass() {
    assertThatCode(() -> new SupportedSpringBoot().initialize(new GenericApplicationContext()))
        .as("Spring Boot %s with this module's starter", SpringBootVersion.getVersion())
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.0.0", "4.1.2"})
  void springBoot4RunsWithDualwriteSpring(String version) {
    assertThatCode(() -> SupportedSpringBoot.check(version, false)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.5.0", "3.5.7"})
  void springBoot35RunsWithDualwriteSpringBoot3(String version) {
    assertThatCode(() -> SupportedSpringBoot.check(version, true)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.4.2", "3.3.0", "2.7.18", "5.0.0"})
  void anUnsupportedVersionIsRefusedNamingItAndTheSupportedOnes(String version) {
    for (boolean boot3Starter : new boolean[] {false, true}) {
      assertThatThrownBy(() -> SupportedSpringBoot.check(version, boot3Starter))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("dualwrite supports Spring Boot 3.5.x (dualwrite-spring-boot3) and 4.x"
              + " (dualwrite-spring); found Spring Boot " + version + ".");
    }
  }

  @Test
  void springBoot35WithTheBoot4StarterIsToldWhichDependencyToUse() {
    assertThatThrownBy(() -> SupportedSpringBoot.check("3.5.7", false))
        .hasMessage("dualwrite-spring is the starter for Spring Boot 4.x, but this is Spring Boot 3.5.7. On Spring"
            + " Boot 3.5 depend on dev.dualwrite:dualwrite-spring-boot3 instead (it brings dualwrite-spring).");
  }

  @Test
  void springBoot4WithTheBoot3StarterIsToldWhichDependencyToUse() {
    assertThatThrownBy(() -> SupportedSpringBoot.check("4.1.2", true))
        .hasMessage("dualwrite-spring-boot3 is the starter for Spring Boot 3.5, but this is Spring Boot 4.1.2. On"
            + " Spring Boot 4.x depend on dev.dualwrite:dualwrite-spring instead.");
  }

  @Test
  void aVersionThatCannotBeToldIsRefused() {
    assertThatThrownBy(() -> SupportedSpringBoot.check(null, false))
        .hasMessageContaining("found Spring Boot null.");
  }
}

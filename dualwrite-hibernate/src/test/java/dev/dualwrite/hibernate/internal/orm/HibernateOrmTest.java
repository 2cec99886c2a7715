package dev.dualwrite.hibernate.internal.orm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWriteException;
import org.hibernate.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Hibernate ORM versions dualwrite runs on, and what it says about the others. */
class HibernateOrmTest {

  @Test
  void runsOnTheHibernateOrmTheBuildPutsOnTheClassPath() {
    String line = System.getProperty("dualwrite.test.line", "");
    assertThat(line).as("the build names the line under test").startsWith("Hibernate ORM ");
    assertThat(Version.getVersionString()).isEqualTo(line.substring("Hibernate ORM ".length()));
    assertThat(HibernateOrm.running()).hasToString(Version.getVersionString().startsWith("6.")
        ? "Hibernate ORM 6.6" : "Hibernate ORM 7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"6.6.0.Final", "6.6.33.Final"})
  void hibernate66IsALine(String version) {
    assertThat(HibernateOrm.line(version)).isEqualTo(HibernateOrm.Line.ORM_6_6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"7.0.0.Final", "7.4.13.Final", "7.9.1-SNAPSHOT"})
  void hibernate7IsALine(String version) {
    assertThat(HibernateOrm.line(version)).isEqualTo(HibernateOrm.Line.ORM_7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"6.2.5.Final", "6.5.3.Final", "5.6.15.Final", "8.0.0.Final"})
  void anUnsupportedVersionIsRefusedNamingItAndTheSupportedOnes(String version) {
    assertThatThrownBy(() -> HibernateOrm.line(version))
        .isInstanceOf(DualWriteException.class)
        .hasMessageStartingWith("dualwrite-hibernate supports Hibernate ORM 6.6 and 7.x; found " + version + ".")
        .hasMessageContaining("dualwrite.enabled=false");
  }

  @Test
  void aVersionThatCannotBeReadIsRefusedToo() {
    assertThatThrownBy(() -> HibernateOrm.line("unknown"))
        .hasMessageStartingWith("dualwrite-hibernate supports Hibernate ORM 6.6 and 7.x; found unknown.");
  }
}

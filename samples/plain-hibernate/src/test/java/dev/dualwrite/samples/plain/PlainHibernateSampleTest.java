package dev.dualwrite.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.test.service.ReferenceMirrorService;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The plain-Hibernate sample runs as documented (docs/getting-started.md), on H2, against a loopback service. */
class PlainHibernateSampleTest {

  @Test
  void mirrorsChangesBackfillsEarlierUsersAndVerifies() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:plain-sample-test;DB_CLOSE_DELAY=-1");
    try (ReferenceMirrorService service = ReferenceMirrorService.start()) {
      String result = PlainHibernateSample.run(h2, service.baseUrl());

      assertThat(result).startsWith("verify users: compared=2 missing=0 extra=0 different=0;")
          .contains("\"email\":\"ada@lovelace.org\"").doesNotContain("passwordHash");
      assertThat(service.document("users", "1").orElseThrow().data().path("version").asLong()).isEqualTo(1);
      assertThat(service.document("users", "2").orElseThrow().deleted()).isTrue();
      assertThat(service.document("users", "3")).isPresent();
    }
  }
}

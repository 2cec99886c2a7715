package dev.dualwrite.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.test.service.ReferenceMirrorService;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The plain-Hibernate sample runs as documented, on H2, against a real loopback service. */
class PlainHibernateSampleTest {

  @Test
  void mirrorsCreatesUpdatesAndDeletes() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:plain-sample-test;DB_CLOSE_DELAY=-1");
    try (ReferenceMirrorService service = ReferenceMirrorService.start()) {
      String result = PlainHibernateSample.run(h2, service.baseUrl());

      assertThat(result).contains("\"email\":\"ada@lovelace.org\"").contains("users/2 deleted: true")
          .doesNotContain("passwordHash");
      assertThat(service.document("users", "1").orElseThrow().version()).isEqualTo(1);
      assertThat(service.document("users", "2").orElseThrow().deleted()).isTrue();
    }
  }
}

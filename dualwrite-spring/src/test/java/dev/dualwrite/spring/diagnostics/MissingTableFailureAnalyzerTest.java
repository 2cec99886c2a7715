package dev.dualwrite.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWriteStorageException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The report for a missing table; {@code StartupFailureTest} shows it in a real start-up on each database. */
class MissingTableFailureAnalyzerTest {
  private final MissingTableFailureAnalyzer analyzer = new MissingTableFailureAnalyzer();

  @Test
  void namesTheMissingTable() {
    var failure = new DualWriteStorageException("dualwrite_outbox", "read the backlog",
        new SQLException("ERROR: relation \"dualwrite_outbox\" does not exist", "42P01"));

    assertThat(analyzer.analyze(new IllegalStateException("context failed", failure)).getDescription())
        .startsWith("dualwrite's table dualwrite_outbox does not exist in the application's database (ERROR: relation");
  }

  @Test
  void leavesOtherDatabaseFailuresToSpringBoot() {
    var unreachable = new DualWriteStorageException("dualwrite_phase", "read the phases",
        new SQLException("Connection refused", "08001"));

    assertThat(analyzer.analyze(unreachable)).isNull();
  }
}

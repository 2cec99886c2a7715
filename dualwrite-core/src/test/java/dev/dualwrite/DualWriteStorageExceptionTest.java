package dev.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.phase.spi.PhaseStore;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DualWriteStorageExceptionTest {
  private static DataSource unreachable() throws SQLException {
    DataSource dataSource = mock(DataSource.class);
    when(dataSource.getConnection()).thenThrow(new SQLException("Connection refused"));
    return dataSource;
  }

  @Test
  void aFailedReadOfThePhasesNamesTheTableTheOperationAndTheDatabasesReason() throws Exception {
    assertThatThrownBy(() -> PhaseStore.jdbc(unreachable()).loadAll())
        .isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("cannot read the phases in dualwrite_phase: Connection refused")
        .hasMessageContaining("dualwrite's tables exist")
        .hasCauseInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((DualWriteStorageException) e).table()).isEqualTo("dualwrite_phase"));
    assertThatThrownBy(() -> PhaseStore.jdbc(unreachable()).history("users"))
        .isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("dualwrite_phase_history")
        .hasMessageContaining("'users'");
  }

  @Test
  void theOutboxOperatorViewReportsDatabaseFailuresAsStorageFailures() throws Exception {
    OutboxTable outbox = new OutboxTable(unreachable(), DatabaseDialect.H2, Clock.systemUTC());
    assertThatThrownBy(outbox::backlog).isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("cannot read the backlog in dualwrite_outbox");
    assertThatThrownBy(() -> outbox.deadLetters("users", 10)).isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("dead letters of users");
    assertThatThrownBy(() -> outbox.retryDeadLetter(7)).isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("retry dead letter #7");
    assertThatThrownBy(() -> outbox.hasPending("users", "1")).isInstanceOf(DualWriteStorageException.class);
  }

  @Test
  void schemaCreationDialectDetectionAndTheReadOnlyRecordsReportStorageFailures() throws Exception {
    assertThatThrownBy(() -> DualWriteSchema.createIfMissing(unreachable()))
        .isInstanceOf(DualWriteStorageException.class).hasMessageContaining("create dualwrite's tables");
    assertThatThrownBy(() -> DatabaseDialect.detect(unreachable()))
        .isInstanceOf(DualWriteStorageException.class).hasMessageContaining("detect its dialect");
    DualWriteRecords records = DualWriteRecords.of(unreachable());
    assertThatThrownBy(records::entities).isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("list the entities");
    assertThatThrownBy(() -> records.backfill("users")).isInstanceOf(DualWriteStorageException.class)
        .hasMessageContaining("dualwrite_backfill");
    assertThatThrownBy(() -> records.lastFinishedVerification("users"))
        .isInstanceOf(DualWriteStorageException.class).hasMessageContaining("dualwrite_verification");
  }
}

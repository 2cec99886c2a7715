package dev.dualwrite.phase.internal;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.storage.internal.PhaseTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link PhaseStore} in {@code dualwrite_phase} and {@code dualwrite_phase_history} (SQL in {@link PhaseTable}). The
 * compare-and-set is one transaction: a conditional update (or an insert, for an entity never moved) of the phase row
 * plus the history row. The revision check in the {@code WHERE} clause and the primary key make a concurrent second
 * move fail instead of overwriting the first. Database failures surface as {@link DualWriteStorageException}.
 * Thread-safe.
 */
public final class JdbcPhaseStore implements PhaseStore {
  private final DataSource dataSource;

  public JdbcPhaseStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Map<String, PhaseState> loadAll() {
    try (Connection connection = dataSource.getConnection()) {
      return PhaseTable.loadAll(connection);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_phase", "read the phases", e);
    }
  }

  @Override
  public PhaseState compareAndSet(long expectedRevision, PhaseState next, PhaseMove move) {
    try {
      return Jdbc.inTransaction(
          dataSource,
          connection -> {
            if (expectedRevision == 0) {
              insertPhase(connection, next, expectedRevision);
            } else if (!PhaseTable.updatePhase(connection, next, expectedRevision)) {
              throw PhaseConflicts.conflict(next.entity(), expectedRevision,
                  PhaseTable.storedRevision(connection, next.entity()));
            }
            PhaseTable.insertHistory(connection, next.revision(), move);
            return next;
          });
    } catch (SQLException e) {
      if (Jdbc.isConstraintViolation(e)) {
        throw PhaseConflicts.conflict(next.entity(), expectedRevision, null);
      }
      throw new DualWriteStorageException("dualwrite_phase", "store the phase of entity '" + next.entity() + "'", e);
    }
  }

  private static void insertPhase(Connection connection, PhaseState next, long expectedRevision) throws SQLException {
    try {
      PhaseTable.insertPhase(connection, next);
    } catch (SQLException e) {
      if (Jdbc.isConstraintViolation(e)) {
        throw PhaseConflicts.conflict(next.entity(), expectedRevision, null);
      }
      throw e;
    }
  }

  @Override
  public List<PhaseMove> history(String entity) {
    try (Connection connection = dataSource.getConnection()) {
      return PhaseTable.history(connection, entity);
    } catch (SQLException e) {
      throw new DualWriteStorageException("dualwrite_phase_history", "read the phase history of entity '" + entity
          + "'", e);
    }
  }
}

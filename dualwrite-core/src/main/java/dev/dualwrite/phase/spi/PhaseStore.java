package dev.dualwrite.phase.spi;

import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.internal.InMemoryPhaseStore;
import dev.dualwrite.phase.internal.JdbcPhaseStore;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where entities' phases and their history are kept. Implementations must be thread-safe and, when shared between
 * nodes, make {@link #compareAndSet} atomic across them.
 */
public interface PhaseStore {

  /** Every stored entity's state. An entity that was never moved may be absent. */
  Map<String, PhaseState> loadAll();

  /**
   * Stores {@code next} and appends {@code move} to the history, atomically, if and only if the entity's stored revision
   * is still {@code expectedRevision} (0 when it was never moved).
   *
   * @return the state as stored
   * @throws dev.dualwrite.phase.PhaseConflictException when the stored revision is not {@code expectedRevision}
   */
  PhaseState compareAndSet(long expectedRevision, PhaseState next, PhaseMove move);

  /** The entity's recorded moves, oldest first. */
  List<PhaseMove> history(String entity);

  /** A store that lives in this JVM only: for tests and single-node demos. */
  static PhaseStore inMemory() {
    return new InMemoryPhaseStore();
  }

  /**
   * A store in the database behind {@code dataSource}, in the tables {@code dualwrite_phase} and
   * {@code dualwrite_phase_history} (see {@link dev.dualwrite.jdbc.DualWriteSchema}). PostgreSQL, MariaDB, MySQL
   * and H2 are supported. Its methods throw {@link dev.dualwrite.DualWriteStorageException} when the database fails.
   */
  static PhaseStore jdbc(DataSource dataSource) {
    return new JdbcPhaseStore(dataSource);
  }
}

package dev.dualwrite.read;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.EntityMigrationBuilder;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.spi.PhaseStore;
import java.util.function.UnaryOperator;

/**
 * A dualwrite node for read-path tests: in-memory phases, one entity {@code users} (email sensitive), no database and
 * no target client of its own.
 */
final class ReadTestNode implements AutoCloseable {
  static final String USERS = "users";

  final DualWrite dualWrite;

  private ReadTestNode(UnaryOperator<EntityMigrationBuilder> entity) {
    this.dualWrite = DualWrite.builder()
        .withPhaseStore(PhaseStore.inMemory())
        .withEntity(entity.apply(EntityMigration.builder(USERS).withSensitiveFields("email")).build())
        .build();
  }

  /** Every read sampled for comparison, every key in the canary. */
  static ReadTestNode comparingEveryRead() {
    return new ReadTestNode(e -> e.withShadowSampleRate(1).withCanaryPercent(100));
  }

  static ReadTestNode with(UnaryOperator<EntityMigrationBuilder> entity) {
    return new ReadTestNode(entity);
  }

  ReadTestNode in(MigrationPhase phase) {
    if (dualWrite.phases().current(USERS) != phase) {
      dualWrite.phases().forceMove(USERS, phase, "test", "test setup");
    }
    return this;
  }

  ReadRouterBuilder router() {
    return ReadRouter.builder(dualWrite, USERS);
  }

  @Override
  public void close() {
    dualWrite.close();
  }
}

package dev.dualwrite;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.gate.ShadowComparisons;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.read.UndeliveredWrites;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.relay.Relay;
import dev.dualwrite.target.spi.TargetClient;
import java.util.Collection;

/**
 * dualwrite in one monolith node: the configured entities, their phases, the outbox and the relay that delivers it to
 * the new service. Build one per node with {@link #builder()}; close it on shutdown. Thread-safe.
 */
public interface DualWrite extends AutoCloseable {

  /** Starts a configuration. */
  static DualWriteBuilder builder() {
    return new DualWriteBuilder();
  }

  /** Every configured entity's phase, and the place to move it. */
  Phases phases();

  /**
   * The configuration of the entity called {@code name}.
   *
   * @throws IllegalArgumentException naming the configured entities when {@code name} is not one of them
   */
  EntityMigration entity(String name);

  /** Every configured entity, in the order they were added. */
  Collection<EntityMigration> entities();

  /**
   * The outbox: backlog and dead letters.
   *
   * @throws IllegalStateException when no data source is configured
   */
  Outbox outbox();

  /**
   * This node's relay.
   *
   * @throws IllegalStateException when no target client is configured or the relay is disabled
   */
  Relay relay();

  /**
   * The client of the new service, for reads (read router, verifier) as well as the relay's writes.
   *
   * @throws IllegalStateException when no target is configured
   */
  TargetClient targetClient();

  /**
   * The keys this node committed changes for that may not have reached the new service yet: what keeps a node's own
   * writes readable in {@code NEW_READS} (see {@link dev.dualwrite.read.ReadRouter}). In memory; never queries.
   */
  UndeliveredWrites undeliveredWrites();

  /** Where read routers report shadow comparisons for the mismatch-rate gate; records nothing without a data source. */
  ShadowComparisons shadowComparisons();

  /**
   * The seam persistence integrations record changes through.
   *
   * @throws IllegalStateException when no data source is configured
   */
  ChangeCapture capture();

  /** The mirror's figures for {@code entity}: this node's counters and the outbox's backlog. */
  MirrorStats mirrorStats(String entity);

  /** Stops the relay and background refreshes and sweeps; closes the target client. */
  @Override
  void close();
}

package dev.dualwrite;

import dev.dualwrite.cutover.ReverseSync;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.relay.Relay;
import java.util.Collection;
import java.util.List;

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
   * The reverse sync of {@code NEW_WRITES}: where each entity's stands, and its dead letters.
   *
   * @throws IllegalStateException when no data source is configured
   */
  ReverseSync reverseSync();

  /** The mirror's figures for {@code entity}: this node's counters and the outbox's backlog. */
  MirrorStats mirrorStats(String entity);

  /**
   * Where {@code entity}'s migration stands: phase, canary, backlog, dead letters, backfill, last verification and the
   * gates of the next move. Reads dualwrite's tables; a database failure is reported in the status, not thrown.
   *
   * @throws IllegalArgumentException naming the configured entities when {@code entity} is not one of them
   */
  EntityStatus status(String entity);

  /** {@link #status(String)} of every configured entity, in the order they were added. */
  List<EntityStatus> status();

  /** Stops the relay and background refreshes and sweeps; closes the target client. */
  @Override
  void close();
}

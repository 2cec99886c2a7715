package dev.dualwrite;

import dev.dualwrite.phase.Phases;
import java.util.Collection;

/**
 * dualwrite in one monolith node: the configured entities, their phases, and (as later parts are configured) the
 * outbox relay and routers. Build one per node with {@link #builder()}; close it on shutdown. Thread-safe.
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

  /** Stops background work. */
  @Override
  void close();
}

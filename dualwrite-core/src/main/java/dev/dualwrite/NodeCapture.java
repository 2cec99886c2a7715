package dev.dualwrite;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.WriteThroughException;
import dev.dualwrite.cutover.internal.LegacyWritePaths;
import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.cutover.internal.WriteThrough;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Phases;
import dev.dualwrite.read.internal.LocalUndeliveredWrites;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.internal.DefaultRelay;
import dev.dualwrite.storage.internal.OutboxTable;
import dev.dualwrite.trace.internal.GuardedTracing;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's {@link ChangeCapture}: phases from the node's cache, changes into its outbox with the trace context current
 * on the appending thread, and on commit the keys held for read-your-writes, the listeners told and the relay woken.
 * Thread-safe.
 */
final class NodeCapture implements ChangeCapture {
  private final Map<String, EntityMigration> entities;
  private final Phases phases;
  private final OutboxTable outbox;
  private final LocalUndeliveredWrites undeliveredWrites;
  private final MirrorListener listener;
  private final DefaultRelay relay;
  private final WriteThrough writeThrough;
  private final NodeReverseSync reverseSync;
  private final LegacyWritePaths writePaths;
  private final GuardedTracing tracing;

  /** {@code relay} is null on a node that does not deliver, {@code writeThrough} on a node without a target. */
  NodeCapture(Map<String, EntityMigration> entities, Phases phases, OutboxTable outbox,
      LocalUndeliveredWrites undeliveredWrites, MirrorListener listener, DefaultRelay relay,
      WriteThrough writeThrough, NodeReverseSync reverseSync, LegacyWritePaths writePaths, GuardedTracing tracing) {
    this.entities = entities;
    this.phases = phases;
    this.outbox = outbox;
    this.undeliveredWrites = undeliveredWrites;
    this.listener = listener;
    this.relay = relay;
    this.writeThrough = writeThrough;
    this.reverseSync = reverseSync;
    this.writePaths = writePaths;
    this.tracing = tracing;
  }

  @Override
  public MigrationPhase phase(String entity) {
    return phases.current(entity);
  }

  @Override
  public EntityMigration entity(String entity) {
    EntityMigration migration = entities.get(entity);
    if (migration == null) {
      throw Node.unknown(entity, entities.keySet());
    }
    return migration;
  }

  @Override
  public boolean isConfigured(String entity) {
    return entities.containsKey(entity);
  }

  @Override
  public List<Change> append(Connection connection, List<Change> changes) throws SQLException {
    return outbox.append(connection, changes, tracing.current());
  }

  @Override
  public void writeThrough(Connection connection, List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    if (writeThrough == null) {
      Change first = changes.get(0);
      throw new WriteThroughException("write to " + first.entity() + " " + first.entityId() + " failed: the entity is"
          + " in NEW_WRITES, where every write goes to the new service before the legacy transaction commits, and"
          + " this node has no target configured. Configure the new service's URL (withTargetUrl, or"
          + " dualwrite.target.url), or move " + first.entity() + " back to NEW_READS.", null);
    }
    writeThrough.send(connection, changes, tracing.current());
  }

  @Override
  public void legacyWriteSeen(String entity) {
    writePaths.seen(entity);
  }

  @Override
  public void attach(LegacySource source) {
    entity(source.entity());
    reverseSync.attach(source);
  }

  @Override
  public void detach(LegacySource source) {
    reverseSync.detach(source);
  }

  @Override
  public void committed(List<Change> changes) {
    undeliveredWrites.committed(changes);
    Map<String, Integer> perEntity = new LinkedHashMap<>();
    for (Change change : changes) {
      perEntity.merge(change.entity(), 1, Integer::sum);
    }
    perEntity.forEach(listener::onAppended);
    if (relay != null) {
      relay.nudge();
    }
  }
}

package dev.dualwrite.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.gate.internal.ShadowComparisons;
import dev.dualwrite.read.UndeliveredWrites;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.internal.GuardedTracing;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node lends the parts built on it (read routers, backfills, verifiers, the capture of persistence
 * integrations) beyond the {@link DualWrite} façade applications see. Not for applications.
 */
public interface NodeServices {

  /**
   * The services of {@code dualWrite}'s node.
   *
   * @throws IllegalArgumentException when {@code dualWrite} was not built by {@link DualWrite#builder()}
   */
  static NodeServices of(DualWrite dualWrite) {
    Objects.requireNonNull(dualWrite, "dualWrite");
    if (dualWrite instanceof NodeServices services) {
      return services;
    }
    throw new IllegalArgumentException("this DualWrite (" + dualWrite.getClass().getName() + ") was not built by"
        + " DualWrite.builder(); build the node with it");
  }

  /** Where changes are recorded in the outbox; empty on a node without a data source. */
  Optional<ChangeCapture> capture();

  /** The client of the new service; empty on a node without a target. */
  Optional<TargetClient> targetClient();

  /**
   * The client this node delivers {@code entity}'s changes with now: empty when it has no target, its relay is
   * disabled, or the entity's delivery is paused (as the relay sees it, at most a second late).
   */
  Optional<TargetClient> deliveringTo(String entity);

  /**
   * Takes one version from the change sequence without appending a change (on a connection of its own, committed at
   * once), for changes delivered past the outbox.
   *
   * @throws IllegalStateException on a node without a data source
   */
  long reserveVersion() throws SQLException;

  /** This node's name among the nodes (process and instance), as its leases record it. */
  String name();

  /** The keys this node committed changes for that may not have been delivered yet. In memory. */
  UndeliveredWrites undeliveredWrites();

  /** Where read routers count their shadow comparisons; counts nothing without a data source. */
  ShadowComparisons shadowComparisons();

  /** The node's reverse sync; empty on a node without a data source. */
  Optional<NodeReverseSync> reverseSyncNode();

  /** The node's tracing ({@link dev.dualwrite.DualWriteBuilder#withTracing}); no tracing unless set. */
  GuardedTracing tracing();

  /** The node's clock ({@link dev.dualwrite.DualWriteBuilder#withClock}). */
  Clock clock();
}

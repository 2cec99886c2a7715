package dev.dualwrite.read;

/**
 * The keys this node has committed changes for that may not have reached the new service yet, kept in memory: fed by
 * every commit through {@link dev.dualwrite.capture.ChangeCapture#committed}, cleared when this node's relay delivers
 * the change (or a newer one), and swept every few seconds against the outbox's backlog, which also clears what other
 * nodes' relays delivered. It errs on the side of "may be undelivered": never the other way for this node's writes.
 *
 * <p>Thread-safe; {@link #mayBeUndelivered} costs one or two hash lookups and allocates nothing.
 */
public interface UndeliveredWrites {

  /**
   * Whether this node committed a change of {@code entity} {@code id} that may not have reached the new service yet.
   * Also true for every key of an entity while this node tracks more undelivered keys of it than it keeps in memory.
   */
  boolean mayBeUndelivered(String entity, String id);
}

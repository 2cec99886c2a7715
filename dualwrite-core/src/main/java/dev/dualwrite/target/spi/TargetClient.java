package dev.dualwrite.target.spi;

import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.HeldVersion;
import dev.dualwrite.target.Precondition;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetPage;
import java.util.List;
import java.util.Optional;

/**
 * Delivers changes to the new service. dualwrite ships {@link dev.dualwrite.target.HttpTargetClient} for the HTTP
 * mirror protocol (docs/protocol.md); implement this interface to reach a service that speaks something else.
 *
 * <p>Implementations must be thread-safe and must make the new service apply a change only when its version is newer
 * than the version it holds for that entity, so that duplicates and reordering cannot corrupt its state.
 */
public interface TargetClient extends AutoCloseable {

  /**
   * Sends changes, in order, and returns one result per change, in the same order.
   *
   * @param changes one or more changes, possibly of several entities
   * @throws dev.dualwrite.target.TargetException when the request as a whole failed; every change is then retried
   */
  List<DeliveryResult> deliver(List<OutboxEntry> changes);

  /**
   * Delivers one change only when what the service holds for its id meets {@code precondition}: the write-through of
   * an entity in {@code NEW_WRITES}, where a monolith write based on a row the service has changed since must fail
   * rather than overwrite that change (header {@code Dualwrite-Expected-Version}, docs/protocol.md).
   *
   * @return as {@link #deliver}: APPLIED or STALE, or REJECTED with status 412 when the precondition is not met
   * @throws dev.dualwrite.target.TargetException when the service cannot answer
   */
  default DeliveryResult deliverIf(OutboxEntry change, Precondition precondition) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot write conditionally; the write-through of"
        + " NEW_WRITES needs TargetClient.deliverIf");
  }

  /**
   * What the service holds for {@code id}, live or deleted, and who wrote it.
   *
   * @return empty when it holds nothing for the id
   * @throws dev.dualwrite.target.TargetException when the service cannot answer
   */
  default Optional<HeldVersion> held(String resource, String id) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot read held versions; the write-through of"
        + " NEW_WRITES needs TargetClient.held");
  }

  /**
   * Reads one live entity. Used by the read router. A client that only writes may leave this unimplemented.
   *
   * @return the entity, or empty when the service does not hold it or holds a tombstone
   * @throws dev.dualwrite.target.TargetException when the service cannot answer
   */
  default Optional<TargetDocument> get(String resource, String id) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot read from the new service; the read"
        + " router needs TargetClient.get");
  }

  /**
   * Reads many live entities at once, for the read router and the verifier.
   *
   * @param ids at most 1000 ids
   * @return the live entities among {@code ids}, in the order of {@code ids}; unknown and deleted ones are left out
   * @throws dev.dualwrite.target.TargetException when the service cannot answer
   */
  default List<TargetDocument> getMany(String resource, List<String> ids) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot read from the new service; the read"
        + " router and verifier need TargetClient.getMany");
  }

  /**
   * Lists live entities in the service's key order, for the verifier.
   *
   * @param afterId list the ids after this one; {@code null} for the first page
   * @param limit at most this many, 1 to 1000
   * @throws dev.dualwrite.target.TargetException when the service cannot answer
   */
  default TargetPage list(String resource, String afterId, int limit) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot list the new service's entities; the"
        + " verifier needs TargetClient.list");
  }

  /**
   * Reads a page of the resource's change feed: every write the service applied, through the mirror protocol or its
   * own API, in the order it applied them. For the reverse sync of an entity the new service owns.
   *
   * @param after the cursor to read after ({@link FeedPage#next()} of the page before); {@code null} for the oldest
   *     change the feed holds
   * @param limit at most this many, 1 to 1000
   * @throws dev.dualwrite.target.TargetException when the service cannot answer; with status 410 when the changes
   *     after {@code after} were compacted away
   */
  default FeedPage changes(String resource, String after, int limit) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot read the new service's change feed;"
        + " reverse sync needs TargetClient.changes");
  }

  /** Releases connections and threads. */
  @Override
  default void close() {}
}

package dev.dualwrite.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The table of changes waiting to reach the new service, in the monolith's own database. Changes are appended in the
 * same transaction as the entity change, so a change is mirrored if and only if its transaction commits. The relay
 * delivers them; operators read the backlog and handle dead letters here. The methods without a connection throw
 * {@link dev.dualwrite.DualWriteStorageException} when the database fails. Thread-safe.
 */
public interface Outbox {

  /**
   * Appends changes using {@code connection}, inside the caller's transaction: they become visible to the relay when
   * the caller commits and vanish if it rolls back. Does not commit.
   *
   * @return the changes, in the same order, each with the version it was appended under (its outbox row id)
   */
  List<Change> append(Connection connection, List<Change> changes) throws SQLException;

  /** The backlog of every entity that has undelivered changes or dead letters. */
  Map<String, Backlog> backlog();

  /**
   * Whether the entity has undelivered changes for {@code entityId}, dead letters included (the new service lacks
   * them as much as a change still waiting). One indexed query.
   */
  boolean hasPending(String entity, String entityId);

  /** Up to {@code limit} dead letters of {@code entity}, oldest first. */
  List<DeadLetter> deadLetters(String entity, int limit);

  /**
   * Puts one dead letter back in line for delivery, with its attempts reset.
   *
   * @return whether a dead letter with that id existed
   */
  boolean retryDeadLetter(long id);

  /** Puts every dead letter of {@code entity} back in line; returns how many. */
  int retryDeadLetters(String entity);

  /**
   * Deletes one dead letter for good: its change will never reach the new service (repair it with the verifier).
   *
   * @return whether a dead letter with that id existed
   */
  boolean discardDeadLetter(long id);

  /**
   * Pauses the delivery of {@code entity}'s changes on every node: no relay claims them until
   * {@link #resumeDelivery}. Nothing is lost: they stay in the outbox, count in the backlog, keep their keys undelivered
   * for read-your-writes, and are delivered in order when delivery resumes; retries are not counted meanwhile. This
   * node's relay stops at its next claim, other nodes' within a second (each relay reads the pauses once a second); a
   * batch already in flight finishes.
   *
   * @param actor who pauses; recorded
   * @param reason why; recorded, may be null
   * @return whether the entity was not paused before (a pause already there is kept as it was)
   * @throws IllegalArgumentException when {@code entity} or {@code actor} is blank
   * @throws UnsupportedOperationException when this outbox cannot pause (not one of dualwrite's tables)
   */
  default boolean pauseDelivery(String entity, String actor, String reason) {
    throw new UnsupportedOperationException("this outbox cannot pause delivery: use the DualWrite node's outbox");
  }

  /**
   * Resumes the delivery of {@code entity}'s changes on every node (this node's relay at its next poll, others'
   * within a second).
   *
   * @return whether the entity was paused
   * @throws UnsupportedOperationException when this outbox cannot pause
   */
  default boolean resumeDelivery(String entity) {
    throw new UnsupportedOperationException("this outbox cannot pause delivery: use the DualWrite node's outbox");
  }

  /**
   * The entities whose delivery is paused now, by name.
   *
   * @throws UnsupportedOperationException when this outbox cannot pause
   */
  default List<DeliveryPause> pausedDeliveries() {
    throw new UnsupportedOperationException("this outbox cannot pause delivery: use the DualWrite node's outbox");
  }
}

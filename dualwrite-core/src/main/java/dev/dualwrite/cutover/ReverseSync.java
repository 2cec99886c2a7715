package dev.dualwrite.cutover;

import java.util.List;

/**
 * The reverse sync of a node: in {@code NEW_WRITES} one node at a time (a lease in dualwrite's tables) reads each
 * entity's change feed from the new service and applies it to legacy under the version rule, so legacy joins, reports
 * and a step back keep working. Operators read its state and handle its dead letters here, as the outbox's for the
 * other direction. Methods throw {@link dev.dualwrite.DualWriteStorageException} when the database fails.
 * Thread-safe.
 */
public interface ReverseSync {

  /** Where the entity's reverse sync stands; reads dualwrite's tables. */
  ReverseSyncStatus status(String entity);

  /** Up to {@code limit} changes legacy refused, oldest first. */
  List<ReverseDeadLetter> deadLetters(String entity, int limit);

  /**
   * Applies dead letter {@code id} again: reads the id's current state from the new service and applies it under the
   * version rule; the dead letter goes when legacy takes it, and stays (one attempt more) when it refuses again.
   *
   * @return whether legacy took it
   * @throws IllegalArgumentException when there is no such dead letter
   * @throws IllegalStateException when this node has no legacy source for the entity (its session factory) or no
   *     target client
   */
  boolean retryDeadLetter(long id);

  /** {@link #retryDeadLetter} for every dead letter of {@code entity}; returns how many legacy took. */
  int retryDeadLetters(String entity);

  /**
   * Deletes dead letter {@code id} for good: legacy keeps what it has for that id (repair it with a verification).
   *
   * @return whether it existed
   */
  boolean discardDeadLetter(long id);
}

package dev.dualwrite.test.service;

/**
 * The outcome of one write under the version rule, and the version held for the (resource, id) right after it.
 *
 * @param outcome whether the write changed the store
 * @param version the version held after the write; -1 for a {@link Outcome#CONFLICT} when nothing is held
 */
record WriteResult(Outcome outcome, long version) {

  /** What a write did. */
  enum Outcome {
    /** The write's version was greater than the one held (or nothing was held): the store changed. */
    APPLIED,
    /** The write's version was not greater than the one held: nothing changed. */
    STALE,
    /** A conditional write found another version held than the one it expected: nothing changed. */
    CONFLICT
  }
}

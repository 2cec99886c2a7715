package dev.dualwrite.hibernate;

/**
 * What dualwrite does with a bulk write (JPQL/HQL {@code update}/{@code delete}/{@code insert ... select}, or native
 * SQL through Hibernate) to a mirrored entity's table while the entity is mirrored. Such writes bypass entity events,
 * so they cannot be mirrored change by change.
 */
public enum BulkWritePolicy {
  /** Refuse the statement with an error naming the entity; nothing is written. The default. */
  REJECT,
  /** Let the statement run and log a warning naming the entity and table; repair with the verifier afterwards. */
  WARN
}

package dev.dualwrite.outbox;

/** What a mirrored change does to the entity in the new service. */
public enum ChangeOperation {
  /** Create or replace the whole entity with the snapshot. */
  UPSERT,
  /** Delete the entity, leaving a versioned tombstone. */
  DELETE
}

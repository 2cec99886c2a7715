package dev.dualwrite.outbox;

/** Why a change was put in the outbox. */
public enum ChangeOrigin {
  /** A committed write made through Hibernate. */
  LIVE,
  /** A snapshot of an existing row copied by the backfill. */
  BACKFILL,
  /** A fresh snapshot enqueued by the verifier's repair. */
  REPAIR,
  /** A snapshot queued by a read that found the row in legacy only (lazy migration on touch). */
  LAZY
}

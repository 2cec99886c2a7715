package dev.dualwrite.cutover;

/**
 * A monolith write of an entity in {@code NEW_WRITES} based on a row the new service has changed since (through its
 * own API, say) and legacy has not received yet: like an optimistic-lock conflict, the write is refused and the legacy
 * transaction rolled back rather than overwrite the newer change. Read the row again and retry. The persistence
 * integrations turn it into their own optimistic-lock exception (dualwrite-hibernate:
 * {@code jakarta.persistence.OptimisticLockException}).
 */
public class WriteConflictException extends WriteThroughException {
  private static final long serialVersionUID = 1L;
  private final String entity;
  private final String entityId;

  public WriteConflictException(String entity, String entityId, String message) {
    super(message, null);
    this.entity = entity;
    this.entityId = entityId;
  }

  /** The entity's migration name. */
  public String entity() {
    return entity;
  }

  /** The id of the row written. */
  public String entityId() {
    return entityId;
  }
}

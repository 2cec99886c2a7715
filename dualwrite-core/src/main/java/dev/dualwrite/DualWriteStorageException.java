package dev.dualwrite;

import java.util.Objects;

/**
 * A read or write on one of dualwrite's own tables failed in the database ({@code dualwrite_phase},
 * {@code dualwrite_outbox}, ...). The message names the table, what dualwrite was doing and the database's reason;
 * the cause is the driver's exception. Usually the database is unreachable, or the tables were not created: apply
 * the migrations of {@link dev.dualwrite.jdbc.DualWriteSchema#migrationLocation} (or enable {@code createIfMissing}) before starting.
 */
public class DualWriteStorageException extends DualWriteException {
  private final String table;

  /**
   * @param table the table, e.g. {@code dualwrite_outbox}; not null
   * @param operation what dualwrite was doing, e.g. {@code "read the backlog"}; not null
   * @param cause the database's exception; not null
   */
  public DualWriteStorageException(String table, String operation, Throwable cause) {
    super("cannot " + Objects.requireNonNull(operation, "operation") + " in " + Objects.requireNonNull(table, "table")
        + ": " + Objects.requireNonNull(cause, "cause").getMessage()
        + ". Check that the database is reachable and that dualwrite's tables exist"
        + " (migrations db/migration/dualwrite/<database>/ in dualwrite-core).", cause);
    this.table = table;
  }

  /** The table the failed operation was on, e.g. {@code dualwrite_outbox}; {@code dualwrite_*} for several. */
  public String table() {
    return table;
  }
}

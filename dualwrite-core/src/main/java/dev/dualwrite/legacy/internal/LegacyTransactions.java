package dev.dualwrite.legacy.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.legacy.LegacySource;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs legacy transactions for the backfill and the verifier, retrying a transaction the database aborted to resolve a
 * deadlock or a serialization failure (SQLState class {@code 40}, or MariaDB/MySQL's lock wait timeout). Such aborts
 * are expected while live writes run: the backfill takes shared row locks. Thread-safe.
 */
public final class LegacyTransactions {
  private static final Logger log = LoggerFactory.getLogger(LegacyTransactions.class);
  /** MariaDB and MySQL's "Lock wait timeout exceeded", reported with SQLState HY000. */
  private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;

  private final LegacySource source;
  private final RetryPolicy<Object> retries;

  public LegacyTransactions(LegacySource source) {
    this.source = source;
    this.retries = RetryPolicy.builder()
        .handleIf(LegacyTransactions::isTransactionAbort)
        .withBackoff(Duration.ofMillis(20), Duration.ofSeconds(2))
        .withJitter(0.2)
        .withMaxAttempts(10)
        .onRetry(e -> log.debug("dualwrite: legacy transaction of {} aborted by the database, retrying: {}",
            source.entity(), e.getLastException().toString()))
        .build();
  }

  /**
   * Runs {@code work} in a legacy transaction, retried when the database aborts it.
   *
   * @param what what the work does, for the error message, e.g. {@code "backfill chunk after id 42"}
   * @throws DualWriteException naming the entity and {@code what} when it fails for good
   */
  public <T> T run(String what, LegacySource.LegacyWork<T> work) {
    try {
      return Failsafe.with(retries).get(() -> source.inTransaction(work));
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new DualWriteException(source.entity() + ": " + what + " failed on the legacy database: " + cause, cause);
    } catch (DualWriteException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DualWriteException(source.entity() + ": " + what + " failed on the legacy database: " + e, e);
    }
  }

  /** Whether {@code failure} says the database rolled the transaction back to break a deadlock or a conflict. */
  static boolean isTransactionAbort(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
          if (s.getSQLState() != null && s.getSQLState().startsWith("40")
              || s.getErrorCode() == MYSQL_LOCK_WAIT_TIMEOUT) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}

package dev.dualwrite.hibernate.internal.orm;

import org.hibernate.engine.spi.SharedSessionContractImplementor;

/** Work at the end of one transaction, registered through {@link HibernateOrm#onCompletion}. */
public interface TransactionCompletion {
  /** Just before the transaction completes; an exception fails (rolls back) the transaction. */
  void beforeCompletion(SharedSessionContractImplementor session);

  /** Just after the transaction completed; {@code committed} is false after a rollback. */
  void afterCompletion(boolean committed);
}

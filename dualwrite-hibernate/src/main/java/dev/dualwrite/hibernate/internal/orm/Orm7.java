package dev.dualwrite.hibernate.internal.orm;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.event.spi.AbstractEvent;

/** Hibernate ORM 7.x: completion work goes to the session's {@link TransactionCompletionCallbacks}. */
final class Orm7 implements HibernateOrm {

  @Override
  public void onCompletion(SharedSessionContractImplementor session, TransactionCompletion completion) {
    TransactionCompletionCallbacks callbacks = session.getTransactionCompletionCallbacks();
    callbacks.registerCallback((TransactionCompletionCallbacks.BeforeCompletionCallback) completion::beforeCompletion);
    callbacks.registerCallback(
        (TransactionCompletionCallbacks.AfterCompletionCallback) (success, s) -> completion.afterCompletion(success));
  }

  @Override
  public SharedSessionContractImplementor session(AbstractEvent event) {
    return event.getSession();
  }

  @Override
  public String toString() {
    return "Hibernate ORM 7";
  }
}

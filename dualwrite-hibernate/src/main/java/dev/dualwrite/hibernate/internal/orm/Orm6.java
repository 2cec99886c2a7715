package dev.dualwrite.hibernate.internal.orm;

import dev.dualwrite.DualWriteException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.hibernate.action.spi.AfterTransactionCompletionProcess;
import org.hibernate.action.spi.BeforeTransactionCompletionProcess;
import org.hibernate.engine.spi.ActionQueue;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractEvent;
import org.hibernate.event.spi.EventSource;

/**
 * Hibernate ORM 6.6: completion work goes to the session's {@link ActionQueue} as transaction completion processes,
 * and an event's {@code getSession()} returns an {@link EventSource}. dualwrite is compiled against Hibernate 7, whose
 * action queue has no {@code registerProcess} and whose events return another type; those three methods are looked
 * up once, here.
 */
final class Orm6 implements HibernateOrm {
  private final MethodHandle registerBefore;
  private final MethodHandle registerAfter;
  private final MethodHandle eventSession;

  Orm6() {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    try {
      registerBefore = lookup.findVirtual(ActionQueue.class, "registerProcess",
          MethodType.methodType(void.class, BeforeTransactionCompletionProcess.class));
      registerAfter = lookup.findVirtual(ActionQueue.class, "registerProcess",
          MethodType.methodType(void.class, AfterTransactionCompletionProcess.class));
      eventSession = lookup.findVirtual(AbstractEvent.class, "getSession", MethodType.methodType(EventSource.class));
    } catch (ReflectiveOperationException e) {
      throw new DualWriteException("this Hibernate ORM " + org.hibernate.Version.getVersionString() + " lacks a"
          + " method dualwrite uses on Hibernate ORM 6.6 (" + e.getMessage() + "); dualwrite-hibernate supports "
          + SUPPORTED, e);
    }
  }

  @Override
  public void onCompletion(SharedSessionContractImplementor session, TransactionCompletion completion) {
    if (!(session instanceof SessionImplementor full)) {
      throw new DualWriteException("a " + session.getClass().getSimpleName() + " wrote a mirrored entity; on"
          + " Hibernate ORM 6.6 dualwrite mirrors the writes of a Session only. Use a Session, or Hibernate ORM 7.");
    }
    ActionQueue actions = full.getActionQueue();
    Process process = new Process(completion);
    try {
      registerBefore.invoke(actions, (BeforeTransactionCompletionProcess) process);
      registerAfter.invoke(actions, (AfterTransactionCompletionProcess) process);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public SharedSessionContractImplementor session(AbstractEvent event) {
    try {
      return (EventSource) eventSession.invoke(event);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Hibernate ORM 6.6";
  }

  /**
   * The completion as Hibernate 6.6 calls it: {@code doBeforeTransactionCompletion(SessionImplementor)}. The
   * {@code SharedSessionContractImplementor} overload is what the Hibernate 7 interface this is compiled against
   * declares; 6.6 never calls it.
   */
  private record Process(TransactionCompletion completion)
      implements BeforeTransactionCompletionProcess, AfterTransactionCompletionProcess {

    @Override
    public void doBeforeTransactionCompletion(SessionImplementor session) {
      completion.beforeCompletion(session);
    }

    @Override
    public void doBeforeTransactionCompletion(SharedSessionContractImplementor session) {
      completion.beforeCompletion(session);
    }

    @Override
    public void doAfterTransactionCompletion(boolean success, SharedSessionContractImplementor session) {
      completion.afterCompletion(success);
    }
  }
}

package dev.dualwrite.hibernate.internal.orm;

import dev.dualwrite.DualWriteException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractEvent;

/**
 * What differs between the Hibernate ORM lines dualwrite runs on, one implementation per line: {@link Orm6} for 6.6,
 * {@link Orm7} for 7.x. The rest of dualwrite-hibernate uses only the API both lines share. Thread-safe.
 */
public sealed interface HibernateOrm permits Orm6, Orm7 {
  /** The lines dualwrite-hibernate runs on, as its error messages name them. */
  String SUPPORTED = "Hibernate ORM 6.6 and 7.x";

  /**
   * Runs {@code completion} just before the transaction of {@code session} completes (after Hibernate's last flush,
   * on the transaction's connection) and just after it has.
   */
  void onCompletion(SharedSessionContractImplementor session, TransactionCompletion completion);

  /** The session of an entity event ({@code getSession()} returns another type on each line). */
  SharedSessionContractImplementor session(AbstractEvent event);

  /**
   * The adapter of the Hibernate ORM on the class path.
   *
   * @throws DualWriteException naming the version found and the supported lines when it is none of them
   */
  static HibernateOrm running() {
    return switch (line(org.hibernate.Version.getVersionString())) {
      case ORM_6_6 -> new Orm6();
      case ORM_7 -> new Orm7();
    };
  }

  /** A Hibernate ORM line dualwrite runs on. */
  enum Line { ORM_6_6, ORM_7 }

  /**
   * The line of Hibernate ORM {@code version} (as {@code org.hibernate.Version.getVersionString()} gives it).
   *
   * @throws DualWriteException naming {@code version} and the supported lines when it is none of them
   */
  static Line line(String version) {
    Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\..*").matcher(version == null ? "" : version);
    int major = m.matches() ? Integer.parseInt(m.group(1)) : -1;
    int minor = m.matches() ? Integer.parseInt(m.group(2)) : -1;
    if (major == 6 && minor == 6) {
      return Line.ORM_6_6;
    }
    if (major == 7) {
      return Line.ORM_7;
    }
    throw new DualWriteException("dualwrite-hibernate supports " + SUPPORTED + "; found " + version + ". Move the"
        + " application to Hibernate ORM 6.6.x or 7.x (Spring Boot 3.5 brings 6.6, Spring Boot 4 brings 7), or set"
        + " dualwrite.enabled=false to run without mirroring.");
  }
}

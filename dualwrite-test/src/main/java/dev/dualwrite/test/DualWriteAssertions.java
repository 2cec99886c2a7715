package dev.dualwrite.test;

import dev.dualwrite.DualWrite;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.relay.Relay;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Duration;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions about dualwrite for tests. Stateless and thread-safe.
 *
 * <pre>{@code
 * @Test
 * void usersReachTheNewService() {
 *   ... exercise the monolith ...
 *   DualWriteAssertions.assertStoresAgree(dualWrite, DualWriteHibernate.legacySource(sessionFactory, "users"));
 * }
 * }</pre>
 */
public final class DualWriteAssertions {
  /** How long {@link #assertStoresAgree(DualWrite, LegacySource)} waits for deliveries, and for racing writes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private DualWriteAssertions() {}

  /**
   * Delivers every pending change, then verifies the entity in full and fails unless both stores agree: nothing
   * missing, extra, different or still in flight.
   *
   * @return the clean verification report
   * @throws AssertionFailedError with the verifier's summary line, the differing keys and their field-level diffs
   *     (sensitive fields masked), or saying what kept the relay from delivering
   */
  public static VerificationReport assertStoresAgree(DualWrite dualWrite, LegacySource source) {
    return assertStoresAgree(dualWrite, source, DEFAULT_TIMEOUT);
  }

  /**
   * As {@link #assertStoresAgree(DualWrite, LegacySource)}, waiting at most {@code timeout} for the relay to deliver
   * and for keys that keep changing to settle.
   *
   * @param dualWrite the node's dualwrite; it must run a relay
   * @param source the entity's legacy rows
   * @param timeout from 0 to 1 hour
   */
  public static VerificationReport assertStoresAgree(DualWrite dualWrite, LegacySource source, Duration timeout) {
    String entity = source.entity();
    Relay relay;
    try {
      relay = dualWrite.relay();
    } catch (IllegalStateException e) {
      throw new AssertionFailedError("cannot check that the stores agree on " + entity + ": " + e.getMessage());
    }
    if (!relay.drain(timeout)) {
      throw new AssertionFailedError("the relay did not deliver every pending change within " + timeout + " ("
          + dualWrite.mirrorStats(entity) + "); is the new service up?");
    }
    VerificationReport report = Verifier.builder(dualWrite, source)
        .withSettleTimeout(timeout)
        .withSampleLimit(20)
        .build()
        .verify();
    if (!report.isClean()) {
      throw new AssertionFailedError("the legacy database and the new service disagree on " + entity + ":\n"
          + report.describe() + deadLetters(dualWrite, entity));
    }
    return report;
  }

  private static String deadLetters(DualWrite dualWrite, String entity) {
    List<DeadLetter> letters = dualWrite.outbox().deadLetters(entity, 5);
    if (letters.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("\n  dead letters (changes the relay gave up on), first ")
        .append(letters.size()).append(':');
    for (DeadLetter letter : letters) {
      text.append("\n    ").append(letter.entityId()).append(' ').append(letter.operation()).append(" v")
          .append(letter.version()).append(": ").append(letter.lastError());
    }
    return text.toString();
  }
}

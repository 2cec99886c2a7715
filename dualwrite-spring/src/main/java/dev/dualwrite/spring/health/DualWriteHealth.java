package dev.dualwrite.spring.health;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityStatus;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.relay.MirrorListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code dualwrite} health contributor ({@code /actuator/health/dualwrite}) reports, from every entity's
 * {@link EntityStatus} and what this node's relay heard of its deliveries, in terms of no Spring Boot line (each
 * line's indicator renders it):
 *
 * <ul>
 *   <li><b>DOWN</b> when dualwrite's tables cannot be read, or when, for an entity in a phase that mirrors
 *       ({@code DUAL_WRITE}, {@code SHADOW_READS}, {@code NEW_READS}), changes wait and this node's latest delivery
 *       attempt failed (no answer or a 5xx) with nothing delivered since: the new service is unreachable and the relay's
 *       circuit breaker holds changes back;</li>
 *   <li><b>OUT_OF_SERVICE</b> when an entity has dead letters, or its oldest undelivered change is older than
 *       {@code dualwrite.health.max-backlog-age};</li>
 *   <li><b>UP</b> otherwise.</li>
 * </ul>
 *
 * <p>Its details name each entity's phase, backlog, oldest undelivered age, dead letters and delivery state, and the
 * reason for a status other than UP. Reverse sync ({@code NEW_WRITES}) is not built yet, so it reports no lag of its
 * own. Thread-safe.
 */
public final class DualWriteHealth implements MirrorListener {
  /** A status and its details: {@code entities}, per entity its figures, status and reason. */
  public record Verdict(String status, Map<String, Object> entities) {}

  private static final String UP = "UP";
  private static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";
  private static final String DOWN = "DOWN";
  /** Worst first. */
  private static final List<String> ORDER = List.of(DOWN, OUT_OF_SERVICE, UP);
  private static final List<MigrationPhase> MIRRORING =
      List.of(MigrationPhase.DUAL_WRITE, MigrationPhase.SHADOW_READS, MigrationPhase.NEW_READS);

  private final Supplier<DualWrite> dualWrite;
  private final Duration maxBacklogAge;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Failure> failing = new ConcurrentHashMap<>();

  /**
   * @param dualWrite the application's dualwrite, looked up when health is asked for (it hears this indicator's
   *     events, so it is built after it)
   * @param maxBacklogAge how old the oldest undelivered change may be before the status is OUT_OF_SERVICE
   */
  public DualWriteHealth(Supplier<DualWrite> dualWrite, Duration maxBacklogAge) {
    this.dualWrite = dualWrite;
    this.maxBacklogAge = maxBacklogAge;
  }

  @Override
  public void onDelivered(List<OutboxEntry> entries, Instant at) {
    entries.forEach(entry -> failing.remove(entry.entity()));
  }

  @Override
  public void onRetryScheduled(OutboxEntry entry, @Nullable Integer status, @Nullable String error,
      Instant nextAttemptAt) {
    if (status == null || status >= 500) {
      failing.put(entry.entity(), new Failure(status, error, clock.instant()));
    }
  }

  /** The status now: the worst of the entities' statuses. Reads dualwrite's tables. */
  public Verdict assess() {
    String worst = UP;
    Map<String, Object> entities = new LinkedHashMap<>();
    for (EntityStatus status : dualWrite.get().status()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("phase", status.phase());
      String entityStatus = UP;
      String reason = null;
      if (status.recordsUnreadable() != null) {
        entityStatus = DOWN;
        reason = "dualwrite's tables cannot be read: " + status.recordsUnreadable();
      } else {
        long backlog = status.mirror().backlog();
        Duration age = status.mirror().oldestPendingAge();
        Failure failure = failing.get(status.entity());
        details.put("backlog", backlog);
        details.put("oldestUndeliveredAgeMillis", age.toMillis());
        details.put("deadLetters", status.mirror().deadLetters());
        details.put("delivery", failure == null ? "ok" : "failing since " + failure.at() + ": " + failure.describe());
        if (failure != null && backlog > 0 && MIRRORING.contains(status.phase())) {
          entityStatus = DOWN;
          reason = "the new service is unreachable: " + failure.describe() + "; " + backlog
              + " change(s) wait";
        } else if (status.mirror().deadLetters() > 0) {
          entityStatus = OUT_OF_SERVICE;
          reason = status.mirror().deadLetters() + " dead letter(s) wait: retry or discard them";
        } else if (age.compareTo(maxBacklogAge) > 0) {
          entityStatus = OUT_OF_SERVICE;
          reason = "the oldest undelivered change is " + age.toSeconds() + " s old, above the "
              + maxBacklogAge.toSeconds() + " s of dualwrite.health.max-backlog-age";
        }
      }
      if (reason != null) {
        details.put("reason", reason);
      }
      details.put("status", entityStatus);
      entities.put(status.entity(), details);
      worst = worse(worst, entityStatus);
    }
    return new Verdict(worst, entities);
  }

  private static String worse(String a, String b) {
    return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
  }

  /** The latest failed delivery attempt of an entity. */
  private record Failure(@Nullable Integer status, @Nullable String error, Instant at) {
    String describe() {
      return (status == null ? "no answer" : "HTTP " + status) + (error == null ? "" : " (" + error + ")");
    }
  }
}

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
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code dualwrite} health contributor ({@code /actuator/health/dualwrite}), from every entity's
 * {@link EntityStatus} and what this node's relay heard of its deliveries:
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
public final class DualWriteHealthIndicator implements HealthIndicator, MirrorListener {
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
  public DualWriteHealthIndicator(Supplier<DualWrite> dualWrite, Duration maxBacklogAge) {
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

  @Override
  public Health health() {
    Status worst = Status.UP;
    Map<String, Object> entities = new LinkedHashMap<>();
    for (EntityStatus status : dualWrite.get().status()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("phase", status.phase());
      Status entityStatus = Status.UP;
      String reason = null;
      if (status.recordsUnreadable() != null) {
        entityStatus = Status.DOWN;
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
          entityStatus = Status.DOWN;
          reason = "the new service is unreachable: " + failure.describe() + "; " + backlog
              + " change(s) wait";
        } else if (status.mirror().deadLetters() > 0) {
          entityStatus = Status.OUT_OF_SERVICE;
          reason = status.mirror().deadLetters() + " dead letter(s) wait: retry or discard them";
        } else if (age.compareTo(maxBacklogAge) > 0) {
          entityStatus = Status.OUT_OF_SERVICE;
          reason = "the oldest undelivered change is " + age.toSeconds() + " s old, above the "
              + maxBacklogAge.toSeconds() + " s of dualwrite.health.max-backlog-age";
        }
      }
      if (reason != null) {
        details.put("reason", reason);
      }
      details.put("status", entityStatus.getCode());
      entities.put(status.entity(), details);
      worst = worse(worst, entityStatus);
    }
    return Health.status(worst).withDetail("entities", entities).build();
  }

  private static Status worse(Status a, Status b) {
    List<Status> order = List.of(Status.DOWN, Status.OUT_OF_SERVICE, Status.UP);
    return order.indexOf(a) <= order.indexOf(b) ? a : b;
  }

  /** The latest failed delivery attempt of an entity. */
  private record Failure(@Nullable Integer status, @Nullable String error, Instant at) {
    String describe() {
      return (status == null ? "no answer" : "HTTP " + status) + (error == null ? "" : " (" + error + ")");
    }
  }
}

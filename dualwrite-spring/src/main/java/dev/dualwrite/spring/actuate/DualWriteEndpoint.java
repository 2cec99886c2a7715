package dev.dualwrite.spring.actuate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseConflictException;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseMoveException;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.read.ReadStats;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.verify.VerificationReport;
import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code dualwrite} Actuator endpoint: every entity's {@link dev.dualwrite.EntityStatus} (phase, mirror figures,
 * backfill, last verification, gates of the next move), oldest dead letters and (when the
 * application has a {@link ReadRouter} bean for it) read counters with the shadow mismatch rate; and, when
 * {@code dualwrite.endpoint.write-operations-enabled=true}, moving an entity's phase and retrying its dead letters.
 * Over HTTP:
 *
 * <ul>
 *   <li>{@code GET /actuator/dualwrite}: {@link Report}, every entity;</li>
 *   <li>{@code GET /actuator/dualwrite/{entity}}: {@link EntityStatus} with the phase history;</li>
 *   <li>{@code POST /actuator/dualwrite/{entity}} with {@code {"phase": "DUAL_WRITE", "reason": "...",
 *       "force": false}}: moves the phase, recording the authenticated principal's name (or {@code actuator}) as
 *       who moved it;</li>
 *   <li>{@code POST /actuator/dualwrite/{entity}/dead-letters}: puts every dead letter of the entity back in line.</li>
 * </ul>
 *
 * <p>It adds no security of its own: it is reached, or not, like every Actuator endpoint of the application. A
 * refused request throws {@link DualWriteEndpointException} (mapped to an HTTP status by
 * {@link DualWriteEndpointWebExtension}). Thread-safe.
 */
@Endpoint(id = "dualwrite")
public final class DualWriteEndpoint {
  /** How many of an entity's oldest dead letters the status lists. */
  public static final int DEAD_LETTERS_LISTED = 20;
  /** The second path segment of the dead-letter operation. */
  public static final String DEAD_LETTERS = "dead-letters";

  private static final Logger log = LoggerFactory.getLogger(DualWriteEndpoint.class);
  private static final String ANONYMOUS_ACTOR = "actuator";

  private final DualWrite dualWrite;
  private final Map<String, ReadRouter> readRouters;
  private final boolean writeOperationsEnabled;

  /**
   * An endpoint over {@code dualWrite}.
   *
   * @param readRouters the application's read routers, whose counters the status shows (the first of each entity)
   * @param writeOperationsEnabled whether phases may be moved and dead letters retried through it
   */
  public DualWriteEndpoint(DualWrite dualWrite, Collection<ReadRouter> readRouters, boolean writeOperationsEnabled) {
    this.dualWrite = dualWrite;
    this.readRouters = readRouters.stream()
        .collect(Collectors.toUnmodifiableMap(ReadRouter::entity, router -> router, (first, second) -> first));
    this.writeOperationsEnabled = writeOperationsEnabled;
  }

  /** Every entity's status, without history. */
  @ReadOperation
  public Report report() {
    return new Report(
        dualWrite.status().stream().map(status -> status(status, null)).toList(), writeOperationsEnabled);
  }

  /** One entity's status with its phase history, or {@code null} (HTTP 404) for an entity that is not configured. */
  @ReadOperation
  public @Nullable EntityStatus entity(@Selector String entity) {
    if (!isConfigured(entity)) {
      return null;
    }
    return status(dualWrite.status(entity), dualWrite.phases().history(entity));
  }

  /**
   * Moves an entity's phase one step, or any number of steps with {@code force} and a reason.
   *
   * @param phase the target phase, e.g. {@code DUAL_WRITE} or {@code dual-write}
   * @param reason why; recorded, and required with {@code force}
   * @param force whether to skip steps (and gates)
   * @throws DualWriteEndpointException when write operations are off, the entity or phase is unknown, or the move is
   *     refused (its message says why)
   */
  @WriteOperation
  @SuppressWarnings("deprecation") // Spring Boot 3.5 takes only Spring's own @Nullable for an optional parameter
  public MoveResult move(
      @Selector String entity,
      String phase,
      @org.springframework.lang.Nullable String reason,
      @org.springframework.lang.Nullable Boolean force,
      SecurityContext securityContext) {
    checkWritable(entity);
    MigrationPhase target;
    try {
      target = MigrationPhase.parse(phase);
    } catch (IllegalArgumentException e) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.INVALID, e.getMessage());
    }
    String actor = actor(securityContext);
    try {
      PhaseMove move = Boolean.TRUE.equals(force)
          ? dualWrite.phases().forceMove(entity, target, actor, reason)
          : dualWrite.phases().move(entity, target, actor, reason);
      return new MoveResult(move);
    } catch (PhaseMoveException | PhaseConflictException e) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.CONFLICT, e.getMessage());
    }
  }

  /**
   * Puts every dead letter of an entity back in line for delivery, with its attempts reset.
   *
   * @param deadLetters must be {@value #DEAD_LETTERS}
   * @throws DualWriteEndpointException when write operations are off or the entity is unknown
   */
  @WriteOperation
  public RetryResult retryDeadLetters(@Selector String entity, @Selector String deadLetters) {
    if (!DEAD_LETTERS.equals(deadLetters)) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND,
          "no operation '" + deadLetters + "'; POST /actuator/dualwrite/" + entity + "/" + DEAD_LETTERS
              + " retries the entity's dead letters");
    }
    checkWritable(entity);
    int retried = dualWrite.outbox().retryDeadLetters(entity);
    log.info("dualwrite: {} dead letters of entity '{}' put back in line through the Actuator endpoint", retried,
        entity);
    return new RetryResult(entity, retried);
  }

  private EntityStatus status(dev.dualwrite.EntityStatus status, List<PhaseMove> history) {
    String name = status.entity();
    PhaseState state = status.state();
    MirrorStats stats = status.mirror();
    return new EntityStatus(
        name,
        status.resource(),
        state.phase(),
        state.phase().allowedMoves(),
        status.nextPhase(),
        status.nextGates(),
        status.canaryPercent(),
        state.revision(),
        state.revision() == 0 ? null : state.changedAt(),
        stats.backlog(),
        stats.oldestPendingAge().toMillis(),
        stats.deadLetters(),
        stats.appended(),
        stats.delivered(),
        stats.retried(),
        stats.deadLettered(),
        stats.deadLetters() == 0 ? List.of() : dualWrite.outbox().deadLetters(name, DEAD_LETTERS_LISTED),
        status.backfill(),
        status.lastVerification(),
        status.recordsUnreadable(),
        readRouters.containsKey(name) ? Reads.of(readRouters.get(name).stats()) : null,
        history);
  }

  private void checkWritable(String entity) {
    if (!writeOperationsEnabled) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.WRITES_DISABLED,
          "dualwrite's write operations are switched off; set dualwrite.endpoint.write-operations-enabled=true to"
              + " move phases and retry dead letters through the Actuator endpoint");
    }
    if (!isConfigured(entity)) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND,
          "unknown entity '" + entity + "'; configured entities are " + dualWrite.phases().entities().stream()
              .sorted().toList());
    }
  }

  private boolean isConfigured(String entity) {
    return dualWrite.phases().entities().contains(entity);
  }

  private static String actor(SecurityContext securityContext) {
    Principal principal = securityContext.getPrincipal();
    return principal != null && principal.getName() != null && !principal.getName().isBlank()
        ? principal.getName() : ANONYMOUS_ACTOR;
  }

  /**
   * Every entity's status.
   *
   * @param entities in the order they were configured
   * @param writeOperationsEnabled whether the write operations may be used
   */
  public record Report(List<EntityStatus> entities, boolean writeOperationsEnabled) implements OperationResponseBody {}

  /**
   * One entity's phase and mirror figures. Counters are this node's since start; the outbox figures are every node's.
   *
   * @param name the entity's migration name
   * @param resource the new service's resource it is mirrored to
   * @param phase its phase
   * @param allowedMoves the phases it may move to without {@code force}
   * @param nextPhase the phase one step forward; {@code null} in {@code NEW_ONLY}
   * @param nextGates the gates a move to {@code nextPhase} must pass, each with what it measured now
   * @param canaryPercent the share of keys {@code NEW_READS} serves from the new service (run-time override, else
   *     configured)
   * @param revision grows by one with every move; 0 when never moved
   * @param changedAt when it was last moved; {@code null} when never
   * @param backlog undelivered changes
   * @param oldestUndeliveredAgeMillis age of the oldest undelivered change in milliseconds; 0 when none
   * @param deadLetters dead letters in the outbox
   * @param appended changes this node committed to the outbox
   * @param delivered changes this node's relay delivered
   * @param retried failed attempts this node's relay scheduled again
   * @param deadLettered changes this node's relay gave up on
   * @param oldestDeadLetters up to {@value DualWriteEndpoint#DEAD_LETTERS_LISTED} of the oldest dead letters (their
   *     errors are redacted; no payloads)
   * @param backfill the backfill checkpoint; {@code null} when no backfill has run
   * @param lastVerification the latest finished verification with its samples (sensitive fields masked); {@code null}
   *     when none has finished
   * @param recordsUnreadable why dualwrite's tables could not be read; {@code null} when they were
   * @param reads this node's read-router counters; {@code null} when the application has no read router for it
   * @param history the recorded moves, oldest first; {@code null} in the overview of every entity
   */
  public record EntityStatus(
      String name,
      String resource,
      MigrationPhase phase,
      List<MigrationPhase> allowedMoves,
      MigrationPhase nextPhase,
      List<GateResult> nextGates,
      double canaryPercent,
      long revision,
      Instant changedAt,
      long backlog,
      long oldestUndeliveredAgeMillis,
      long deadLetters,
      long appended,
      long delivered,
      long retried,
      long deadLettered,
      List<DeadLetter> oldestDeadLetters,
      BackfillCheckpoint backfill,
      VerificationReport lastVerification,
      String recordsUnreadable,
      Reads reads,
      List<PhaseMove> history)
      implements OperationResponseBody {}

  /**
   * One entity's read-router counters on this node since start, per key read.
   *
   * @param servedByLegacy keys served by legacy (fallbacks included)
   * @param servedByNew keys served by the new service
   * @param fallbacks canary keys served by legacy because the new service failed
   * @param compared comparisons that came to an outcome
   * @param mismatched comparisons where the stores disagreed
   * @param mismatchRate mismatched ÷ compared, 0 to 1; 0 when nothing was compared
   * @param dropped shadow reads not run because the shadow executor was full
   */
  public record Reads(
      long servedByLegacy,
      long servedByNew,
      long fallbacks,
      long compared,
      long mismatched,
      double mismatchRate,
      long dropped) {

    static Reads of(ReadStats stats) {
      return new Reads(stats.servedByLegacy(), stats.servedByNew(), stats.fallbacks(), stats.compared().count(),
          stats.mismatched().count(), stats.mismatchRate(), stats.dropped());
    }
  }

  /**
   * A phase move that was made.
   *
   * @param move the recorded move
   */
  public record MoveResult(PhaseMove move) implements OperationResponseBody {}

  /**
   * Dead letters put back in line.
   *
   * @param entity the entity's name
   * @param retried how many
   */
  public record RetryResult(String entity, int retried) implements OperationResponseBody {}
}

package dev.dualwrite.spring.actuate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.cutover.LegacyWritePath;
import dev.dualwrite.cutover.ReverseDeadLetter;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.legacy.LegacySource;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * The {@code dualwrite} Actuator endpoint: every entity's {@link dev.dualwrite.EntityStatus} (phase, canary, mirror
 * figures, backfill, last verification with its sampled differences, gates of the next move), oldest dead letters,
 * the backfill and verification this node started through it with their progress, the last hour's trend of backlog,
 * lag, dead letters and shadow mismatch rate, and (when the application has a {@link ReadRouter} bean for it) read
 * counters. When {@code dualwrite.endpoint.write-operations-enabled=true}, it also moves phases, sets the canary,
 * starts backfills and verifications and retries or discards dead letters. Over HTTP:
 *
 * <ul>
 *   <li>{@code GET /actuator/dualwrite}: {@link Report}, every entity;</li>
 *   <li>{@code GET /actuator/dualwrite/{entity}}: {@link EntityStatus} with the phase history;</li>
 *   <li>{@code POST /actuator/dualwrite/{entity}} with {@code {"phase": "DUAL_WRITE", "reason": "...", "force": false,
 *       "canaryPercent": 5}} (a phase, a canary percentage or both): moves the phase and sets the canary, recording the
 *       authenticated principal's name (or {@code actuator}) as who did it;</li>
 *   <li>{@code POST /actuator/dualwrite/{entity}/backfill} with {@code {"rowsPerSecond": 0, "restart": false}} and
 *       {@code POST /actuator/dualwrite/{entity}/verify} with {@code {"sample": 1, "repair": false}}: start the run on
 *       a thread of this node and answer at once (HTTP 202) with its {@link JobStatus}; the entity's status shows its
 *       progress and outcome;</li>
 *   <li>{@code POST /actuator/dualwrite/{entity}/dead-letters} with {@code {"action": "retry"}} (every dead letter, or
 *       one with {@code "id"}) or {@code {"action": "discard", "id": 12}};</li>
 *   <li>{@code POST /actuator/dualwrite/{entity}/delivery} with {@code {"action": "pause", "reason": "..."}} or
 *       {@code {"action": "resume"}}: pauses or resumes the delivery of the entity's changes on every node.</li>
 * </ul>
 *
 * <p>It adds no security of its own: it is reached, or not, like every Actuator endpoint of the application. A
 * refused request throws {@link DualWriteEndpointException} (mapped to an HTTP status and {@code {"error": "..."}} by
 * {@link DualWriteEndpointWebExtension}). Close it to stop its threads. Thread-safe.
 */
@Endpoint(id = "dualwrite")
public final class DualWriteEndpoint implements AutoCloseable {
  /** How many of an entity's oldest dead letters the status lists. */
  public static final int DEAD_LETTERS_LISTED = 20;
  /** The second path segment of the dead-letter operation. */
  public static final String DEAD_LETTERS = "dead-letters";
  /** The second path segment of the operation on the reverse sync's dead letters (changes legacy refused). */
  public static final String REVERSE_DEAD_LETTERS = "reverse-dead-letters";
  /** The second path segment of the backfill operation. */
  public static final String BACKFILL = "backfill";
  /** The second path segment of the verification operation. */
  public static final String VERIFY = "verify";
  /** The second path segment of the operation that pauses or resumes delivery. */
  public static final String DELIVERY = "delivery";

  private static final Logger log = LoggerFactory.getLogger(DualWriteEndpoint.class);
  private static final String ANONYMOUS_ACTOR = "actuator";

  private final DualWrite dualWrite;
  private final Map<String, ReadRouter> readRouters;
  private final boolean writeOperationsEnabled;
  private final EndpointJobs jobs;
  private final StatusTrend trend;

  /**
   * An endpoint over {@code dualWrite}.
   *
   * @param readRouters the application's read routers, whose counters the status shows (the first of each entity)
   * @param writeOperationsEnabled whether phases may be moved, canaries set, backfills and verifications started and
   *     dead letters retried or discarded through it
   * @param legacySources each entity's legacy rows, for backfills and verifications; throws
   *     {@link IllegalStateException} saying why for an entity whose rows cannot be read
   * @param records dualwrite's tables, where a running verification's counts are read; null without a data source
   * @param trendInterval how often the trend is sampled
   */
  public DualWriteEndpoint(DualWrite dualWrite, Collection<ReadRouter> readRouters, boolean writeOperationsEnabled,
      Function<String, LegacySource> legacySources, @Nullable DualWriteRecords records, Duration trendInterval) {
    this.dualWrite = dualWrite;
    this.readRouters = readRouters.stream()
        .collect(Collectors.toUnmodifiableMap(ReadRouter::entity, router -> router, (first, second) -> first));
    this.writeOperationsEnabled = writeOperationsEnabled;
    this.jobs = new EndpointJobs(dualWrite, legacySources, records);
    this.trend = new StatusTrend(dualWrite, this.readRouters, trendInterval);
  }

  /** Every entity's status, without history. */
  @ReadOperation
  public Report report() {
    return new Report(
        dualWrite.status().stream().map(status -> status(status, null)).toList(), writeOperationsEnabled);
  }

  /**
   * One entity's status with its phase history.
   *
   * @throws DualWriteEndpointException for an entity that is not configured
   */
  @ReadOperation
  public EntityStatus entity(@Selector String entity) {
    checkConfigured(entity);
    return status(dualWrite.status(entity), dualWrite.phases().history(entity));
  }

  /**
   * Moves an entity's phase one step, or any number of steps with {@code force} and a reason, and/or sets its canary
   * percentage.
   *
   * @param phase the target phase, e.g. {@code DUAL_WRITE} or {@code dual-write}; null to set the canary only
   * @param reason why; recorded, and required with {@code force}
   * @param force whether to skip steps (and gates)
   * @param canaryPercent the share of keys {@code NEW_READS} serves from the new service, 0 to 100; null to leave it
   * @throws DualWriteEndpointException when write operations are off, the entity or phase is unknown, neither a phase
   *     nor a canary percentage is given, or the move is refused (its message says why: the gate and what it measured)
   */
  @WriteOperation
  @SuppressWarnings("deprecation") // Spring Boot 3.5 takes only Spring's own @Nullable for an optional parameter
  public MoveResult move(
      @Selector String entity,
      @org.springframework.lang.Nullable String phase,
      @org.springframework.lang.Nullable String reason,
      @org.springframework.lang.Nullable Boolean force,
      @org.springframework.lang.Nullable Double canaryPercent,
      SecurityContext securityContext) {
    checkWritable(entity);
    if (phase == null && canaryPercent == null) {
      throw invalid("give \"phase\" (e.g. {\"phase\": \"DUAL_WRITE\", \"reason\": \"...\"}), \"canaryPercent\" (0 to"
          + " 100) or both");
    }
    MigrationPhase target = null;
    if (phase != null) {
      try {
        target = MigrationPhase.parse(phase);
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
    }
    String actor = actor(securityContext);
    try {
      PhaseMove move = target == null || target == dualWrite.phases().current(entity) && canaryPercent != null ? null
          : Boolean.TRUE.equals(force) ? dualWrite.phases().forceMove(entity, target, actor, reason)
              : dualWrite.phases().move(entity, target, actor, reason);
      PhaseMove canary = canaryPercent == null ? null
          : dualWrite.phases().setCanaryPercent(entity, canaryPercent, actor, reason);
      return new MoveResult(move, canary);
    } catch (PhaseMoveException | PhaseConflictException | IllegalStateException e) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.CONFLICT, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /**
   * One of an entity's operations, named by the second path segment: {@value #BACKFILL} and {@value #VERIFY} start a
   * run on a thread of this node and answer its {@link JobStatus} at once; {@value #DEAD_LETTERS} retries or discards
   * dead letters, {@value #REVERSE_DEAD_LETTERS} those of the reverse sync (a retry applies the change to legacy now);
   * {@value #DELIVERY} pauses or resumes the delivery of the entity's changes on every node.
   *
   * @param action for {@value #DEAD_LETTERS}: {@code retry} (default) or {@code discard}; for {@value #DELIVERY}:
   *     {@code pause} or {@code resume} (required)
   * @param reason for {@value #DELIVERY}: why it is paused; recorded
   * @param id for {@value #DEAD_LETTERS}: one dead letter's id; required to discard, every dead letter of the entity
   *     when absent to retry
   * @param rowsPerSecond for {@value #BACKFILL}: the throttle; 0 or absent for none
   * @param restart for {@value #BACKFILL}: forget the checkpoint and copy everything again
   * @param sample for {@value #VERIFY}: the share of keys to compare, above 0 to 1; default 1
   * @param repair for {@value #VERIFY}: re-send what differs and confirm it arrived
   * @throws DualWriteEndpointException when write operations are off, the entity or operation is unknown, a value is
   *     not valid, a run of the same kind is still going, or there is no such dead letter
   */
  @WriteOperation
  @SuppressWarnings("deprecation") // Spring Boot 3.5 takes only Spring's own @Nullable for an optional parameter
  public OperationResponseBody operation(
      @Selector String entity,
      @Selector String operation,
      @org.springframework.lang.Nullable String action,
      @org.springframework.lang.Nullable Long id,
      @org.springframework.lang.Nullable Long rowsPerSecond,
      @org.springframework.lang.Nullable Boolean restart,
      @org.springframework.lang.Nullable Double sample,
      @org.springframework.lang.Nullable Boolean repair,
      @org.springframework.lang.Nullable String reason,
      SecurityContext securityContext) {
    if (!List.of(BACKFILL, VERIFY, DEAD_LETTERS, REVERSE_DEAD_LETTERS, DELIVERY).contains(operation)) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND, "no operation '" + operation
          + "'; POST /actuator/dualwrite/" + entity + "/{" + BACKFILL + "|" + VERIFY + "|" + DEAD_LETTERS + "|"
          + REVERSE_DEAD_LETTERS + "|" + DELIVERY + "}");
    }
    checkWritable(entity);
    String actor = actor(securityContext);
    try {
      return switch (operation) {
        case BACKFILL -> new JobResult(entity, jobs.backfill(entity, rowsPerSecond == null ? 0 : rowsPerSecond,
            Boolean.TRUE.equals(restart), actor).status());
        case VERIFY -> new JobResult(entity, jobs.verify(entity, sample == null ? 1 : sample,
            Boolean.TRUE.equals(repair), actor).status());
        case DEAD_LETTERS -> deadLetters(entity, action == null ? "retry" : action, id, actor);
        case DELIVERY -> delivery(entity, action, reason, actor);
        default -> reverseDeadLetters(entity, action == null ? "retry" : action, id, actor);
      };
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    } catch (IllegalStateException e) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.CONFLICT, e.getMessage());
    }
  }

  /** {@link #operation} without a reason. */
  @SuppressWarnings("deprecation")
  public OperationResponseBody operation(String entity, String operation, @Nullable String action, @Nullable Long id,
      @Nullable Long rowsPerSecond, @Nullable Boolean restart, @Nullable Double sample, @Nullable Boolean repair,
      SecurityContext securityContext) {
    return operation(entity, operation, action, id, rowsPerSecond, restart, sample, repair, null, securityContext);
  }

  private OperationResponseBody delivery(String entity, @Nullable String action, @Nullable String reason,
      String actor) {
    if (!"pause".equals(action) && !"resume".equals(action)) {
      throw invalid((action == null ? "give the \"action\"" : "unknown action '" + action + "'")
          + "; use {\"action\": \"pause\", \"reason\": \"...\"} or {\"action\": \"resume\"}");
    }
    boolean pause = "pause".equals(action);
    boolean changed = pause ? dualWrite.outbox().pauseDelivery(entity, actor, reason)
        : dualWrite.outbox().resumeDelivery(entity);
    if (changed) {
      log.info("dualwrite: delivery of entity '{}' {} by {} through the Actuator endpoint{}", entity,
          pause ? "paused" : "resumed", actor, reason == null ? "" : ": " + reason);
    }
    return new DeliveryResult(entity, pause, changed);
  }

  private OperationResponseBody deadLetters(String entity, String action, @Nullable Long id, String actor) {
    switch (action) {
      case "retry" -> {
        int retried = id == null ? dualWrite.outbox().retryDeadLetters(entity)
            : dualWrite.outbox().retryDeadLetter(id) ? 1 : 0;
        if (id != null && retried == 0) {
          throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND,
              "no dead letter " + id + " of '" + entity + "'; GET /actuator/dualwrite/" + entity + " lists them");
        }
        log.info("dualwrite: {} dead letter(s) of entity '{}' put back in line by {} through the Actuator endpoint",
            retried, entity, actor);
        return new RetryResult(entity, retried);
      }
      case "discard" -> {
        if (id == null) {
          throw invalid("discarding needs the dead letter's \"id\": dead letters are discarded one by one, on purpose");
        }
        if (dualWrite.outbox().deadLetters(entity, Integer.MAX_VALUE).stream().noneMatch(l -> l.id() == id)
            || !dualWrite.outbox().discardDeadLetter(id)) {
          throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND,
              "no dead letter " + id + " of '" + entity + "'; GET /actuator/dualwrite/" + entity + " lists them");
        }
        log.info("dualwrite: dead letter {} of entity '{}' discarded by {} through the Actuator endpoint", id, entity,
            actor);
        return new DiscardResult(entity, id);
      }
      default -> throw invalid("unknown action '" + action + "'; use \"retry\" or \"discard\"");
    }
  }

  /** As {@link #deadLetters}, for the changes of the new service's feed legacy refused: a retry applies them now. */
  private OperationResponseBody reverseDeadLetters(String entity, String action, @Nullable Long id, String actor) {
    boolean known = id == null || dualWrite.reverseSync().deadLetters(entity, Integer.MAX_VALUE).stream()
        .anyMatch(l -> l.id() == id);
    if (!known) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND, "no reverse dead letter "
          + id + " of '" + entity + "'; GET /actuator/dualwrite/" + entity + " lists them");
    }
    switch (action) {
      case "retry" -> {
        int taken = id == null ? dualWrite.reverseSync().retryDeadLetters(entity)
            : dualWrite.reverseSync().retryDeadLetter(id) ? 1 : 0;
        log.info("dualwrite: {} reverse dead letter(s) of entity '{}' taken by legacy on a retry by {} through the"
            + " Actuator endpoint", taken, entity, actor);
        return new RetryResult(entity, taken);
      }
      case "discard" -> {
        if (id == null) {
          throw invalid("discarding needs the dead letter's \"id\": dead letters are discarded one by one, on purpose");
        }
        dualWrite.reverseSync().discardDeadLetter(id);
        log.info("dualwrite: reverse dead letter {} of entity '{}' discarded by {} through the Actuator endpoint", id,
            entity, actor);
        return new DiscardResult(entity, id);
      }
      default -> throw invalid("unknown action '" + action + "'; use \"retry\" or \"discard\"");
    }
  }

  private static DualWriteEndpointException invalid(String message) {
    return new DualWriteEndpointException(DualWriteEndpointException.Refusal.INVALID, message);
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
        status.nextMoveOpen(),
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
        status.reverseSync(),
        status.reverseSync() == null || status.reverseSync().deadLetters() == 0 ? List.of()
            : dualWrite.reverseSync().deadLetters(name, DEAD_LETTERS_LISTED),
        status.legacyWritePaths(),
        status.recordsUnreadable(),
        readRouters.containsKey(name) ? Reads.of(readRouters.get(name).stats()) : null,
        jobs.status(name, EndpointJobs.Kind.BACKFILL),
        jobs.status(name, EndpointJobs.Kind.VERIFICATION),
        trend.of(name),
        history);
  }

  private void checkWritable(String entity) {
    if (!writeOperationsEnabled) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.WRITES_DISABLED,
          "dualwrite's write operations are switched off; set dualwrite.endpoint.write-operations-enabled=true to"
              + " move phases, set canaries, start backfills and verifications and handle dead letters through the"
              + " Actuator endpoint");
    }
    checkConfigured(entity);
  }

  private void checkConfigured(String entity) {
    if (!dualWrite.phases().entities().contains(entity)) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.NOT_FOUND,
          "unknown entity '" + entity + "'; configured entities are " + dualWrite.phases().entities().stream()
              .sorted().toList());
    }
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
   * @param nextMoveOpen whether every gate of {@code nextGates} passes now
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
   * @param reverseSync where the reverse sync of {@code NEW_WRITES} stands; {@code null} without a data source
   * @param oldestReverseDeadLetters up to 20 changes of the new service's feed legacy refused, oldest first
   * @param legacyWritePaths the application's call sites that wrote the entity to legacy since its last move, seen
   *     from NEW_READS on, most writes first
   * @param recordsUnreadable why dualwrite's tables could not be read; {@code null} when they were
   * @param reads this node's read-router counters; {@code null} when the application has no read router for it
   * @param backfillJob the latest backfill started through the endpoint on this node, with its progress; {@code null}
   *     when none
   * @param verificationJob the latest verification or repair started through the endpoint on this node; {@code null}
   *     when none
   * @param trend the last hour's backlog, lag, dead letters and mismatch rate, oldest first, sampled on this node
   * @param history the recorded moves, oldest first; {@code null} in the overview of every entity
   */
  public record EntityStatus(
      String name,
      String resource,
      MigrationPhase phase,
      List<MigrationPhase> allowedMoves,
      MigrationPhase nextPhase,
      List<GateResult> nextGates,
      boolean nextMoveOpen,
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
      ReverseSyncStatus reverseSync,
      List<ReverseDeadLetter> oldestReverseDeadLetters,
      List<LegacyWritePath> legacyWritePaths,
      String recordsUnreadable,
      Reads reads,
      JobStatus backfillJob,
      JobStatus verificationJob,
      List<TrendPoint> trend,
      List<PhaseMove> history)
      implements OperationResponseBody {}

  /**
   * The mirror's figures at one moment.
   *
   * @param at when sampled
   * @param backlog undelivered changes
   * @param lagMillis age of the oldest undelivered change, 0 when none
   * @param deadLetters dead letters
   * @param mismatchRate the shadow mismatch rate of the comparisons since the point before, 0 to 1; {@code null}
   *     without a read router or a comparison
   */
  public record TrendPoint(Instant at, long backlog, long lagMillis, long deadLetters, @Nullable Double mismatchRate) {}

  /**
   * A backfill or verification the endpoint started on this node.
   *
   * @param kind {@code backfill}, {@code verification} or {@code repair}
   * @param state whether it runs, finished or failed
   * @param startedBy who started it
   * @param startedAt when
   * @param finishedAt when it ended; null while it runs
   * @param rowsDone rows copied or compared by this run so far
   * @param rowsTotal the rows this run goes through (an estimate, counted at its start); null before it is known
   * @param percent {@code rowsDone} of {@code rowsTotal}, 0 to 100; null before the total is known
   * @param rowsPerSecond this run's average rate
   * @param etaMillis the time still needed at that rate; null when unknown or ended
   * @param outcome the run's outcome ({@code backfill users: rows=300 finished}, or the verification's summary line
   *     with its findings); null while it runs or when it failed
   * @param error why it failed; null unless it failed
   * @param report the verification's report (sensitive values masked); null for a backfill or while it runs
   */
  public record JobStatus(
      String kind,
      State state,
      String startedBy,
      Instant startedAt,
      @Nullable Instant finishedAt,
      long rowsDone,
      @Nullable Long rowsTotal,
      @Nullable Double percent,
      double rowsPerSecond,
      @Nullable Long etaMillis,
      @Nullable String outcome,
      @Nullable String error,
      @Nullable VerificationReport report) {

    /** Where a job stands. */
    public enum State { RUNNING, FINISHED, FAILED }
  }

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
   * What a move request did.
   *
   * @param move the recorded phase move; {@code null} when only the canary was set
   * @param canary the recorded canary change; {@code null} when no canary percentage was given
   */
  public record MoveResult(@Nullable PhaseMove move, @Nullable PhaseMove canary) implements OperationResponseBody {}

  /**
   * A backfill or verification that was started.
   *
   * @param entity the entity's name
   * @param job the run, as it stands now
   */
  public record JobResult(String entity, JobStatus job) implements OperationResponseBody {}

  /**
   * A dead letter that was discarded.
   *
   * @param entity the entity's name
   * @param discarded its id
   */
  public record DiscardResult(String entity, long discarded) implements OperationResponseBody {}

  /** Stops the threads of the backfills and verifications it started, and its trend sampling. */
  @Override
  public void close() {
    jobs.close();
    trend.close();
  }

  /**
   * A pause or resumption of an entity's delivery.
   *
   * @param entity the entity's name
   * @param paused whether its delivery is paused now
   * @param changed whether this request changed that (false: it was so already)
   */
  public record DeliveryResult(String entity, boolean paused, boolean changed) implements OperationResponseBody {}

  /**
   * Dead letters put back in line.
   *
   * @param entity the entity's name
   * @param retried how many
   */
  public record RetryResult(String entity, int retried) implements OperationResponseBody {}
}

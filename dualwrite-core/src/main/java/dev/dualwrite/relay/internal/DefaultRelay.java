package dev.dualwrite.relay.internal;

import dev.dualwrite.EntityMigration;
import dev.dualwrite.internal.DaemonThreads;
import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import dev.dualwrite.relay.Relay;
import dev.dualwrite.relay.RelayConfig;
import dev.dualwrite.target.DeliveryOutcome;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.internal.GuardedTracing;
import dev.dualwrite.trace.spi.Tracing;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.RetryPolicyConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: {@code concurrency} delivery loops plus a purge of delivered rows. Each loop claims a batch (held by the
 * queue until it is settled, see {@link DeliveryQueue#hold}), sends it in one request, and settles each change's
 * outcome in one go.
 *
 * <p>The loops adapt to the load: a nudge wakes one idle loop, and only when no loop is delivering, so that under a
 * steady trickle of commits one loop works and the changes committed during its cycle ride its next batch (batches
 * grow with the backlog); a loop whose claim came back full wakes another idle loop before it delivers, so a backlog
 * is drained by every loop at once. Entities whose delivery is paused ({@link Supplier pausedEntities}) are not claimed.
 * Thread-safe.
 */
public final class DefaultRelay implements Relay {
  private static final Logger log = LoggerFactory.getLogger(DefaultRelay.class);
  /** The delivered log when delivered rows are deleted at once: one DEBUG line per batch, naming each change. */
  private static final Logger deliveredLog = LoggerFactory.getLogger("dev.dualwrite.relay.delivered");
  private static final int PURGE_BATCH = 1000;

  private final DeliveryQueue outbox;
  private final TargetClient client;
  private final Map<String, EntityMigration> entities;
  private final RelayConfig config;
  private final MirrorListener listener;
  private final Clock clock;
  private final CircuitBreaker<Object> breaker;
  private final String owner;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final List<Thread> loops = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Thread> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger busy = new AtomicInteger();
  private final Supplier<Set<String>> pausedEntities;
  private final GuardedTracing tracing;
  private volatile Instant lastPurge = Instant.EPOCH;

  public DefaultRelay(
      DeliveryQueue outbox,
      TargetClient client,
      Map<String, EntityMigration> entities,
      RelayConfig config,
      MirrorListener listener,
      Clock clock,
      String node) {
    this(outbox, client, entities, config, listener, clock, node, Set::of, new GuardedTracing(Tracing.none()));
  }

  /**
   * As above; {@code pausedEntities} names the entities not to deliver now (asked before each claim, must be cheap),
   * and each request is an observation of {@code tracing}'s that continues the batch's stored trace context.
   */
  public DefaultRelay(
      DeliveryQueue outbox,
      TargetClient client,
      Map<String, EntityMigration> entities,
      RelayConfig config,
      MirrorListener listener,
      Clock clock,
      String node,
      Supplier<Set<String>> pausedEntities,
      GuardedTracing tracing) {
    // listener: one that never throws (dualwrite's composite)
    this.outbox = outbox;
    this.client = client;
    this.entities = entities;
    this.config = config;
    this.listener = listener;
    this.clock = clock;
    // a breaker of this relay's own, with the configured settings: breakers hold state, configurations must not
    this.breaker = CircuitBreaker.builder(config.circuitBreaker().getConfig()).build();
    this.owner = node;
    this.pausedEntities = pausedEntities;
    this.tracing = tracing;
  }

  /** Starts the delivery loops. */
  public void start() {
    for (int i = 0; i < config.concurrency(); i++) {
      Thread loop = DaemonThreads.thread(this::run, "dualwrite-relay-" + i);
      loops.add(loop);
      loop.start();
    }
    log.info("dualwrite relay {} started: {} loop(s), batches of {}", owner, config.concurrency(), config.batchSize());
  }

  /**
   * Wakes one idle loop when no loop is delivering; otherwise the next loop to finish its cycle claims again at once
   * instead of waiting, and takes everything committed meanwhile in one batch.
   */
  @Override
  public void nudge() {
    nudged.set(true);
    if (busy.get() == 0) {
      wakeOne();
    }
  }

  /** How many loops wait for work now (for tests). */
  int idleLoops() {
    return idle.size();
  }

  private void wakeOne() {
    Thread loop = idle.pollFirst();
    if (loop != null) {
      LockSupport.unpark(loop);
    }
  }

  @Override
  public boolean drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (pendingCount() == 0) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      if (loops.isEmpty()) {
        deliverDue();
      } else {
        nudge();
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread loop : loops) {
      LockSupport.unpark(loop);
    }
    for (Thread loop : loops) {
      try {
        loop.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    loops.clear();
    log.info("dualwrite relay {} stopped", owner);
  }

  private void run() {
    Thread self = Thread.currentThread();
    while (running.get()) {
      int claimed;
      busy.incrementAndGet();
      try {
        claimed = deliverDue();
        purgeIfDue();
      } catch (RuntimeException e) {
        log.error("dualwrite relay: delivery loop failed, will try again: {}", e.toString(), e);
        claimed = 0;
      } finally {
        busy.decrementAndGet();
      }
      if (claimed < config.batchSize() && running.get() && !nudged.getAndSet(false)) {
        Duration wait = circuitOpen() ? min(breaker.getRemainingDelay(), config.pollInterval())
            : config.pollInterval();
        idle.addFirst(self); // the most recently idle loop is woken first: its caches are warm
        if (!nudged.get()) {
          LockSupport.parkNanos(Math.max(1, wait.toNanos()));
        }
        idle.remove(self);
        nudged.set(false);
      }
    }
  }

  /**
   * Claims one batch of due changes and delivers it.
   *
   * @return how many changes were claimed
   */
  public int deliverDue() {
    if (circuitOpen()) {
      return 0;
    }
    DeliveryQueue.HeldBatch held;
    try {
      held = outbox.hold(config.batchSize(), clock.instant().plus(config.lease()), owner, pausedEntities.get());
    } catch (java.sql.SQLException e) {
      log.warn("dualwrite relay: cannot claim changes from the outbox: {}", e.getMessage());
      return 0;
    }
    try (held) {
      return deliver(held);
    }
  }

  private int deliver(DeliveryQueue.HeldBatch held) {
    List<OutboxEntry> batch = held.entries();
    if (batch.isEmpty()) {
      return 0;
    }
    if (batch.size() >= config.batchSize()) {
      wakeOne(); // more is due than one batch holds: share the backlog
    }
    if (!breaker.tryAcquirePermit()) {
      runSql(() -> held.release(clock.instant()), "release changes while the circuit is open");
      return 0;
    }
    try (Tracing.Scope observation = tracing.start(ObservedWork.RELAY_DELIVERY, entityTag(batch),
        batch.stream().map(OutboxEntry::traceparent).filter(Objects::nonNull).findFirst().orElse(null))) {
      List<DeliveryResult> results;
      try {
        results = client.deliver(batch);
        if (results.size() != batch.size()) {
          throw new TargetException(null, "target client returned " + results.size() + " results for "
              + batch.size() + " changes", null);
        }
        breaker.recordSuccess();
      } catch (TargetException e) {
        breaker.recordFailure();
        observation.tag("outcome", "failed");
        observation.error(e);
        failAll(held, e.status(), e.getMessage());
        return batch.size();
      } catch (RuntimeException e) {
        breaker.recordFailure();
        log.error("dualwrite relay: target client failed unexpectedly", e);
        observation.tag("outcome", "failed");
        observation.error(e);
        failAll(held, null, e.toString());
        return batch.size();
      }
      boolean allTaken = results.stream().allMatch(r -> r.outcome() == DeliveryOutcome.APPLIED
          || r.outcome() == DeliveryOutcome.STALE);
      observation.tag("outcome", allTaken ? "delivered" : "rejected");
      record(held, results);
      return batch.size();
    }
  }

  /** The tag {@code entity} of a batch's delivery: its entity, or {@code several}. */
  private static String entityTag(List<OutboxEntry> batch) {
    String entity = batch.get(0).entity();
    for (OutboxEntry entry : batch) {
      if (!entry.entity().equals(entity)) {
        return "several";
      }
    }
    return entity;
  }

  /**
   * Whether the breaker is open and its delay has not passed. Once it has, the next {@code tryAcquirePermit} moves the
   * breaker to half-open, so the relay must go on to claim and ask for a permit.
   */
  private boolean circuitOpen() {
    return breaker.isOpen() && !breaker.getRemainingDelay().isZero();
  }

  private void record(DeliveryQueue.HeldBatch held, List<DeliveryResult> results) {
    List<OutboxEntry> batch = held.entries();
    List<OutboxEntry> delivered = new ArrayList<>(batch.size());
    List<DeliveryQueue.FailedAttempt> failed = new ArrayList<>();
    List<Runnable> notifications = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      OutboxEntry entry = batch.get(i);
      DeliveryResult result = results.get(i);
      switch (result.outcome()) {
        case APPLIED, STALE -> delivered.add(entry);
        case REJECTED -> failed.add(deadLetter(entry, result.status(), result.error(), notifications));
        case RETRY -> failed.add(retry(entry, result.status(), result.error(), notifications));
      }
    }
    Instant now = clock.instant();
    boolean keep = !config.deliveredRetention().isZero();
    if (!runSql(() -> held.complete(ids(delivered), keep, failed), "record the outcome of delivered changes")) {
      return;
    }
    if (!delivered.isEmpty()) {
      if (!keep && deliveredLog.isDebugEnabled()) {
        deliveredLog.debug("delivered {}", delivered.stream().map(OutboxEntry::describe).toList());
      }
      listener.onDelivered(delivered, now);
    }
    notifications.forEach(Runnable::run);
  }

  private void failAll(DeliveryQueue.HeldBatch held, Integer status, String error) {
    List<OutboxEntry> batch = held.entries();
    log.warn("dualwrite relay: delivery of {} change(s) failed: {}", batch.size(), error);
    List<DeliveryQueue.FailedAttempt> failed = new ArrayList<>(batch.size());
    List<Runnable> notifications = new ArrayList<>();
    for (OutboxEntry entry : batch) {
      failed.add(retry(entry, status, error, notifications));
    }
    if (runSql(() -> held.complete(List.of(), false, failed), "record failed attempts")) {
      notifications.forEach(Runnable::run);
    }
  }

  /**
   * Schedules the next attempt with the entity's backoff, or dead-letters the change once the retry policy's max
   * attempts are made or its max duration, counted from the change's creation, has passed. A retry never falls due
   * after that deadline: the last one is made at it.
   */
  private DeliveryQueue.FailedAttempt retry(
      OutboxEntry entry, Integer status, String error, List<Runnable> notifications) {
    EntityMigration entity = entities.get(entry.entity());
    RetryPolicyConfig<Object> policy =
        (entity == null ? EntityMigration.DEFAULT_RETRY_POLICY : entity.retryPolicy()).getConfig();
    int attempts = entry.attempts() + 1;
    if (attempts >= policy.getMaxAttempts()) {
      return deadLetter(entry, status, "gave up after " + attempts + " attempts; last error: " + error, notifications);
    }
    Instant now = clock.instant();
    Duration maxDuration = policy.getMaxDuration();
    Instant deadline = maxDuration == null ? Instant.MAX : entry.createdAt().plus(maxDuration);
    if (!now.isBefore(deadline)) {
      return deadLetter(entry, status, "gave up after " + attempts + " attempts: the retry policy's max duration ("
          + maxDuration + " from the change's commit) has passed; last error: " + error, notifications);
    }
    String redacted = redact(entry, error);
    Instant backedOff = now.plus(Backoff.delay(policy, attempts));
    Instant next = backedOff.isAfter(deadline) ? deadline : backedOff;
    notifications.add(() -> listener.onRetryScheduled(entry, status, redacted, next));
    return new DeliveryQueue.FailedAttempt(entry.id(), attempts, next, status, redacted, false);
  }

  private DeliveryQueue.FailedAttempt deadLetter(
      OutboxEntry entry, Integer status, String error, List<Runnable> notifications) {
    String redacted = redact(entry, error);
    int attempts = entry.attempts() + 1;
    log.error("dualwrite relay: {} is now a dead letter after {} attempt(s): status {}: {}. Fix the cause, then retry"
        + " it (Outbox.retryDeadLetter).", entry.describe(), attempts, status, redacted);
    notifications.add(() -> listener.onDeadLettered(entry, status, redacted));
    return new DeliveryQueue.FailedAttempt(entry.id(), attempts, null, status, redacted, true);
  }

  private String redact(OutboxEntry entry, String error) {
    EntityMigration entity = entities.get(entry.entity());
    Set<String> sensitive = entity == null ? Set.of() : entity.sensitiveFields();
    return Redactor.redact(error, entry.payload(), sensitive);
  }

  private void purgeIfDue() {
    Duration retention = config.deliveredRetention();
    Instant now = clock.instant();
    if (retention.isZero() || now.isBefore(lastPurge.plus(min(retention, Duration.ofMinutes(1))))) {
      return;
    }
    lastPurge = now;
    runSql(() -> {
      int purged;
      do {
        purged = outbox.purgeDelivered(now.minus(retention), PURGE_BATCH);
      } while (purged == PURGE_BATCH && running.get());
    }, "purge delivered changes");
  }

  private long pendingCount() {
    return outbox.backlog().values().stream().mapToLong(Backlog::pending).sum();
  }

  @FunctionalInterface
  private interface SqlWork {
    void run() throws java.sql.SQLException;
  }

  /** Runs {@code work}; whether it succeeded. */
  private static boolean runSql(SqlWork work, String what) {
    try {
      work.run();
      return true;
    } catch (java.sql.SQLException e) {
      // nothing was settled: the changes are claimed again (held rows at once, leased ones after their lease), and
      // the version rule makes a second delivery harmless
      log.warn("dualwrite relay: cannot {}: {}; the changes will be claimed again", what, e.getMessage());
      return false;
    }
  }

  private static List<Long> ids(List<OutboxEntry> entries) {
    return entries.stream().map(OutboxEntry::id).toList();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

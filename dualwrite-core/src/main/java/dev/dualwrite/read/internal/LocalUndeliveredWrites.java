package dev.dualwrite.read.internal;

import dev.dualwrite.outbox.Backlog;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOrigin;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.read.UndeliveredWrites;
import dev.dualwrite.relay.MirrorListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's {@link UndeliveredWrites}: per entity, the ids this node committed changes for, each with the highest
 * version committed and when. A key leaves when
 *
 * <ul>
 *   <li>this node's relay delivers a change of it with at least that version (the new service then holds that
 *       version or a newer one); or
 *   <li>the sweep, every {@link #SWEEP_INTERVAL}, finds in the outbox's backlog that nothing of the entity appended
 *       before the key's commit is still pending: that also clears what other nodes' relays delivered. One query of
 *       the backlog per sweep, and only while keys are held.
 * </ul>
 *
 * <p>A dead letter is undelivered too: while the entity has dead letters, the sweep reads their keys (one more query)
 * and keeps those, until the dead letter is retried and delivered or discarded. With more than
 * {@link #DEAD_LETTERS_READ} dead letters the sweep lets go of none of the entity's keys.
 *
 * <p>At most {@link #MAX_KEYS_PER_ENTITY} keys are held per entity. Beyond that the entity is marked overflowed and
 * every one of its keys counts as undelivered (served by legacy, which is always right) until the sweep finds all of
 * the overflow's changes delivered. Memory is bounded, and the answer never turns from "may be undelivered" to "no"
 * while this node's change is still pending.
 *
 * <p>Times come from dualwrite's clock, the one that stamps outbox rows. Thread-safe.
 */
public final class LocalUndeliveredWrites implements UndeliveredWrites, MirrorListener {
  /** The most keys held in memory per entity. */
  public static final int MAX_KEYS_PER_ENTITY = 100_000;
  /** The most dead letters of an entity whose keys the sweep reads; beyond that it keeps every key of the entity. */
  public static final int DEAD_LETTERS_READ = 1000;
  /** How often held keys are checked against the outbox's backlog. */
  public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(LocalUndeliveredWrites.class);
  /** Absorbs the database rounding a timestamp up to its precision. */
  private static final Duration TIMESTAMP_MARGIN = Duration.ofMillis(1);
  /** The version of a change that was never appended (none is then known to cover it): left for the sweep. */
  private static final long UNKNOWN_VERSION = Long.MAX_VALUE;

  /** The highest version this node committed for a key, and when it last committed one. */
  private record Pending(long version, Instant committedAt) {}

  /** One entity's held keys and, while overflowed, the commit time of the last key it could not hold. */
  private static final class Held {
    final ConcurrentHashMap<String, Pending> keys = new ConcurrentHashMap<>();
    final AtomicReference<Instant> overflowUntil = new AtomicReference<>();
  }

  private final Map<String, Held> entities;
  private final Outbox outbox;
  private final Clock clock;
  private volatile boolean sweepFailing;

  /**
   * @param entities the configured entities' names
   * @param outbox the outbox to sweep against; null when this node has none (then nothing is ever committed)
   * @param clock dualwrite's clock
   */
  public LocalUndeliveredWrites(Collection<String> entities, Outbox outbox, Clock clock) {
    this.entities = entities.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), e -> new Held()));
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public boolean mayBeUndelivered(String entity, String id) {
    Held held = entities.get(entity);
    return held != null && (held.overflowUntil.get() != null || held.keys.containsKey(id));
  }

  /**
   * Holds the keys of writes that just committed. Called on the committing thread, before the relay is woken.
   * Backfill and repair snapshots are not writes anyone reads back, so they are not held: a backfill of millions of
   * rows would otherwise fill the record and send every key to legacy until it drains.
   */
  public void committed(List<Change> changes) {
    Instant now = clock.instant();
    for (Change change : changes) {
      Held held = entities.get(change.entity());
      if (held == null || change.origin() != ChangeOrigin.LIVE) {
        continue;
      }
      long version = change.version() == null ? UNKNOWN_VERSION : change.version();
      if (held.keys.size() >= MAX_KEYS_PER_ENTITY && !held.keys.containsKey(change.entityId())) {
        overflow(change.entity(), held, now);
        continue;
      }
      held.keys.merge(change.entityId(), new Pending(version, now),
          (before, after) -> new Pending(Math.max(before.version(), after.version()), now));
    }
  }

  @Override
  public void onDelivered(List<OutboxEntry> entries, Instant at) {
    for (OutboxEntry entry : entries) {
      Held held = entities.get(entry.entity());
      if (held != null) {
        held.keys.computeIfPresent(entry.entityId(),
            (id, pending) -> entry.version() >= pending.version() ? null : pending);
      }
    }
  }

  /**
   * Lets go of every key whose changes the outbox no longer holds as pending: those committed before the oldest
   * pending change of their entity was appended (all of them when none is pending). Runs every
   * {@link #SWEEP_INTERVAL} on the node's scheduler.
   */
  public void sweep() {
    if (outbox == null || entities.values().stream().allMatch(h -> h.keys.isEmpty() && h.overflowUntil.get() == null)) {
      return;
    }
    Instant asked = clock.instant();
    Map<String, Backlog> backlog;
    try {
      backlog = outbox.backlog();
    } catch (RuntimeException e) {
      if (!sweepFailing) {
        log.warn("dualwrite: cannot read the outbox's backlog to let go of delivered keys; they are read from legacy"
            + " meanwhile: {}", e.toString());
      }
      sweepFailing = true;
      return;
    }
    sweepFailing = false;
    entities.forEach((entity, held) -> {
      Backlog pending = backlog.get(entity);
      Set<String> deadLettered = deadLetteredKeys(entity, pending);
      if (deadLettered == null) {
        return; // too many dead letters, or they cannot be read: keep every key
      }
      Instant oldest = pending == null || pending.pending() == 0 || pending.oldestPendingCreatedAt() == null
          || pending.oldestPendingCreatedAt().isAfter(asked) ? asked : pending.oldestPendingCreatedAt();
      Instant before = oldest.minus(TIMESTAMP_MARGIN);
      held.keys.entrySet().removeIf(
          key -> key.getValue().committedAt().isBefore(before) && !deadLettered.contains(key.getKey()));
      Instant overflow = held.overflowUntil.get();
      if (overflow != null && overflow.isBefore(before) && held.overflowUntil.compareAndSet(overflow, null)) {
        log.info("dualwrite: every undelivered write of entity '{}' this node could not hold in memory is delivered;"
            + " its keys are checked one by one again", entity);
      }
    });
  }

  /**
   * The keys of the entity's dead letters: empty when it has none, {@code null} when there are more than
   * {@link #DEAD_LETTERS_READ} or they cannot be read.
   */
  private Set<String> deadLetteredKeys(String entity, Backlog backlog) {
    if (backlog == null || backlog.deadLetters() == 0) {
      return Set.of();
    }
    if (backlog.deadLetters() > DEAD_LETTERS_READ) {
      return null;
    }
    try {
      return outbox.deadLetters(entity, DEAD_LETTERS_READ).stream().map(DeadLetter::entityId)
          .collect(Collectors.toSet());
    } catch (RuntimeException e) {
      log.debug("dualwrite: cannot read the dead letters of entity '{}'; its keys stay held: {}", entity, e.toString());
      return null;
    }
  }

  private void overflow(String entity, Held held, Instant now) {
    Instant before = held.overflowUntil.getAndAccumulate(now, (a, b) -> a == null || b.isAfter(a) ? b : a);
    if (before == null) {
      log.warn("dualwrite: this node holds {} keys of entity '{}' with undelivered writes, the most it keeps in"
          + " memory; until they are delivered, NEW_READS serves every key of '{}' from legacy. Check the relay"
          + " (Relay, MirrorStats.pending).", MAX_KEYS_PER_ENTITY, entity, entity);
    }
  }

}

package dev.dualwrite.test.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.target.ListingOrder;
import dev.dualwrite.target.Precondition;
import dev.dualwrite.test.service.WriteResult.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The reference service's in-memory store: per resource, an id-ordered concurrent map of documents and tombstones, and
 * the resource's change feed: every applied write, in the order it was applied. Thread-safe: each write is one atomic
 * compare-and-set on its (resource, id), and an applied write takes its feed position inside it, under the feed's
 * lock, so positions follow the order of application and a reader never sees a position before a lower one.
 */
final class MirrorStore {
  /** How many Idempotency-Keys are remembered. */
  static final int IDEMPOTENCY_CAPACITY = 100_000;

  /** One page of a listing: live documents in id order, and whether live documents follow the page. */
  record Page(List<StoredDocument> items, boolean more) {}

  /** Who made a change: the mirror protocol's writes, or the service's own API. */
  enum Origin { MIRROR, SERVICE }

  /**
   * One applied write in a resource's feed.
   *
   * @param position its place in the feed, from 1, one more than the change before it
   * @param document what the write left held (a live document or a tombstone)
   * @param appliedAt when it was applied
   */
  record FeedEntry(long position, StoredDocument document, Origin origin, Instant appliedAt) {}

  /**
   * A page of a feed.
   *
   * @param items the changes after the position asked for, oldest first
   * @param head the position of the newest change held; 0 when none was ever applied
   */
  record FeedPage(List<FeedEntry> items, long head) {}

  /** A resource's feed: positions are taken and entries added under the feed's lock. */
  private static final class Feed {
    final ConcurrentSkipListMap<Long, FeedEntry> entries = new ConcurrentSkipListMap<>();
    long head;
    /** Positions up to this one were forgotten: a reader asking for what followed an earlier one cannot be answered. */
    volatile long forgottenThrough;

    synchronized void append(StoredDocument document, Origin origin) {
      head++;
      entries.put(head, new FeedEntry(head, document, origin, Instant.now()));
    }

    synchronized long head() {
      return head;
    }
  }

  private final boolean versionRule;
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, StoredDocument>> resources =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Feed> feeds = new ConcurrentHashMap<>();
  /** Per resource and id, who made the write that left what is held. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Origin>> origins = new ConcurrentHashMap<>();
  private final IdempotencyMemory idempotency = new IdempotencyMemory(IDEMPOTENCY_CAPACITY);
  private final LongAdder applied = new LongAdder();
  private final LongAdder stale = new LongAdder();

  /** A store that follows the version rule, or, with {@code versionRule} false, applies every write. */
  MirrorStore(boolean versionRule) {
    this.versionRule = versionRule;
  }

  /**
   * Writes {@code candidate} (a live document or a tombstone) under the version rule; with an idempotency key that
   * was seen before for the same (resource, id), answers the first outcome instead and changes nothing.
   */
  WriteResult write(String resource, String idempotencyKey, StoredDocument candidate) {
    return write(resource, idempotencyKey, candidate, null);
  }

  /**
   * As {@link #write(String, String, StoredDocument)}, and with a {@code precondition}, only if what is held meets it;
   * otherwise answers {@link Outcome#CONFLICT} and changes nothing.
   */
  WriteResult write(String resource, String idempotencyKey, StoredDocument candidate, Precondition precondition) {
    if (idempotencyKey == null) {
      return apply(resource, candidate, precondition);
    }
    return idempotency.firstOutcome(resource, candidate.id(), idempotencyKey,
        () -> apply(resource, candidate, precondition));
  }

  private WriteResult apply(String resource, StoredDocument candidate, Precondition precondition) {
    Feed feed = feed(resource);
    boolean[] conflict = {false};
    StoredDocument held = documents(resource).compute(candidate.id(), (id, current) -> {
      if (precondition != null && !precondition.isMetBy(current == null ? null : current.version(),
          origin(resource, id) == Origin.MIRROR)) {
        conflict[0] = true;
        return current;
      }
      if (current == null || !versionRule || candidate.version() > current.version()) {
        feed.append(candidate, Origin.MIRROR);
        origins(resource).put(id, Origin.MIRROR);
        return candidate;
      }
      return current;
    });
    if (conflict[0]) {
      return new WriteResult(Outcome.CONFLICT, held == null ? -1 : held.version());
    }
    if (held == candidate) {
      applied.increment();
      return new WriteResult(Outcome.APPLIED, held.version());
    }
    stale.increment();
    return new WriteResult(Outcome.STALE, held.version());
  }

  /** Who made the write that left what is held for the id ({@link Origin#MIRROR} when nothing says otherwise). */
  Origin origin(String resource, String id) {
    return origins(resource).getOrDefault(id, Origin.MIRROR);
  }

  private ConcurrentHashMap<String, Origin> origins(String resource) {
    return origins.computeIfAbsent(resource, r -> new ConcurrentHashMap<>());
  }

  /**
   * A write through the service's own API: {@code data} (or, when null, a delete) at one version above the one held
   * (1 when nothing is), always applied, and in the feed like any applied write.
   *
   * @return what is held after it
   */
  StoredDocument writeOwn(String resource, String id, JsonNode data) {
    Feed feed = feed(resource);
    return documents(resource).compute(id, (key, current) -> {
      long version = current == null ? 1 : current.version() + 1;
      StoredDocument written = data == null ? StoredDocument.tombstone(id, version)
          : StoredDocument.live(id, version, data.deepCopy());
      feed.append(written, Origin.SERVICE);
      origins(resource).put(key, Origin.SERVICE);
      applied.increment();
      return written;
    });
  }

  /**
   * Up to {@code limit} changes of the resource's feed after position {@code after} (0: from the start).
   *
   * @return null when changes after {@code after} were forgotten ({@link #forgetChanges}): the feed cannot say what
   *     followed it
   */
  FeedPage changes(String resource, long after, int limit) {
    Feed feed = feed(resource);
    long head = feed.head();
    if (after < feed.forgottenThrough) {
      return null;
    }
    List<FeedEntry> items = new ArrayList<>(Math.min(limit, 128));
    for (FeedEntry entry : feed.entries.tailMap(after, false).values()) {
      if (items.size() == limit || entry.position() > head) {
        break;
      }
      items.add(entry);
    }
    return new FeedPage(items, head);
  }

  /** The first position still held in the resource's feed, less one: readers from an earlier one get nothing. */
  long forgottenThrough(String resource) {
    return feed(resource).forgottenThrough;
  }

  /** Forgets the feed's changes up to and including {@code position}, as a service compacting its feed would. */
  void forgetChanges(String resource, long position) {
    Feed feed = feed(resource);
    feed.forgottenThrough = Math.max(feed.forgottenThrough, position); // first: no reader may skip what goes next
    feed.entries.headMap(position, true).clear();
  }

  /** The document or tombstone held, or null. Not a copy: callers must not change its data. */
  StoredDocument get(String resource, String id) {
    ConcurrentSkipListMap<String, StoredDocument> documents = resources.get(resource);
    return documents == null ? null : documents.get(id);
  }

  /** Up to {@code limit} live documents with ids after {@code after} (all ids when null), in id order. */
  Page page(String resource, String after, int limit) {
    NavigableMap<String, StoredDocument> documents = resources.get(resource);
    if (documents == null) {
      return new Page(List.of(), false);
    }
    if (after != null) {
      documents = documents.tailMap(after, false);
    }
    List<StoredDocument> items = new ArrayList<>(Math.min(limit, 128));
    for (StoredDocument document : documents.values()) {
      if (document.deleted()) {
        continue;
      }
      if (items.size() == limit) {
        return new Page(items, true);
      }
      items.add(document);
    }
    return new Page(items, false);
  }

  /** Copies of all live documents of the resource, in id order. */
  Map<String, StoredDocument> liveCopies(String resource) {
    ConcurrentSkipListMap<String, StoredDocument> documents = resources.get(resource);
    if (documents == null) {
      return Map.of();
    }
    Map<String, StoredDocument> live = new LinkedHashMap<>();
    documents.values().stream().filter(d -> !d.deleted()).forEach(d -> live.put(d.id(), d.copy()));
    return Collections.unmodifiableMap(live);
  }

  /** Stores the document regardless of the version held. */
  void plant(String resource, StoredDocument document) {
    documents(resource).put(document.id(), document);
  }

  void remove(String resource, String id) {
    ConcurrentSkipListMap<String, StoredDocument> documents = resources.get(resource);
    if (documents != null) {
      documents.remove(id);
    }
  }

  /** Forgets every document, tombstone and Idempotency-Key, and zeroes the counters. */
  void clear() {
    resources.clear();
    feeds.clear();
    origins.clear();
    idempotency.clear();
    applied.reset();
    stale.reset();
  }

  long appliedCount() {
    return applied.sum();
  }

  long staleCount() {
    return stale.sum();
  }

  private Feed feed(String resource) {
    return feeds.computeIfAbsent(resource, r -> new Feed());
  }

  private ConcurrentSkipListMap<String, StoredDocument> documents(String resource) {
    return resources.computeIfAbsent(resource, r -> new ConcurrentSkipListMap<>(ListingOrder.INSTANCE));
  }
}

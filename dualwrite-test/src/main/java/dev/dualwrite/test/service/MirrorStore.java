package dev.dualwrite.test.service;

import dev.dualwrite.target.ListingOrder;
import dev.dualwrite.test.service.WriteResult.Outcome;
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
 * The reference service's in-memory store: per resource, an id-ordered concurrent map of documents and tombstones.
 * Thread-safe without a global lock: each write is one atomic compare-and-set on its (resource, id).
 */
final class MirrorStore {
  /** How many Idempotency-Keys are remembered. */
  static final int IDEMPOTENCY_CAPACITY = 100_000;

  /** One page of a listing: live documents in id order, and whether live documents follow the page. */
  record Page(List<StoredDocument> items, boolean more) {}

  private final boolean versionRule;
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, StoredDocument>> resources =
      new ConcurrentHashMap<>();
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
    if (idempotencyKey == null) {
      return apply(resource, candidate);
    }
    return idempotency.firstOutcome(resource, candidate.id(), idempotencyKey, () -> apply(resource, candidate));
  }

  private WriteResult apply(String resource, StoredDocument candidate) {
    StoredDocument held = documents(resource).compute(candidate.id(),
        (id, current) -> current == null || !versionRule || candidate.version() > current.version() ? candidate : current);
    if (held == candidate) {
      applied.increment();
      return new WriteResult(Outcome.APPLIED, held.version());
    }
    stale.increment();
    return new WriteResult(Outcome.STALE, held.version());
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

  private ConcurrentSkipListMap<String, StoredDocument> documents(String resource) {
    return resources.computeIfAbsent(resource, r -> new ConcurrentSkipListMap<>(ListingOrder.INSTANCE));
  }
}

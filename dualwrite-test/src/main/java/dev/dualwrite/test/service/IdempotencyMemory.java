package dev.dualwrite.test.service;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The first outcome of each recent Idempotency-Key, per (resource, id), bounded: once more than {@code capacity} keys
 * are remembered the oldest are forgotten. Thread-safe; a key's write and the recording of its outcome are atomic, so
 * two concurrent requests with one key get one outcome.
 */
final class IdempotencyMemory {
  private record Key(String resource, String id, String idempotencyKey) {}

  private final int capacity;
  private final ConcurrentHashMap<Key, WriteResult> outcomes = new ConcurrentHashMap<>();
  private final Queue<Key> oldestFirst = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  IdempotencyMemory(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The first outcome recorded for the key, or, for a key not remembered, the outcome of {@code write}, which is then
   * recorded.
   */
  WriteResult firstOutcome(String resource, String id, String idempotencyKey, Supplier<WriteResult> write) {
    Key key = new Key(resource, id, idempotencyKey);
    WriteResult known = outcomes.get(key);
    if (known != null) {
      return known;
    }
    boolean[] written = {false};
    WriteResult outcome = outcomes.computeIfAbsent(key, k -> {
      written[0] = true;
      return write.get();
    });
    if (written[0]) {
      oldestFirst.add(key);
      if (size.incrementAndGet() > capacity) {
        forgetOldest();
      }
    }
    return outcome;
  }

  void clear() {
    outcomes.clear();
    oldestFirst.clear();
    size.set(0);
  }

  private void forgetOldest() {
    while (size.get() > capacity) {
      Key oldest = oldestFirst.poll();
      if (oldest == null) {
        return;
      }
      outcomes.remove(oldest);
      size.decrementAndGet();
    }
  }
}

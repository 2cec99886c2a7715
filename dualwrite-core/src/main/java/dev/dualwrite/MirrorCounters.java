package dev.dualwrite;

import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts appended, delivered, retried and dead-lettered changes per entity on this node. Thread-safe. */
final class MirrorCounters implements MirrorListener {
  /** One entity's counters. */
  static final class Counts {
    final LongAdder appended = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
  }

  private final Map<String, Counts> counts = new ConcurrentHashMap<>();

  Counts of(String entity) {
    return counts.computeIfAbsent(entity, e -> new Counts());
  }

  @Override
  public void onAppended(String entity, int count) {
    of(entity).appended.add(count);
  }

  @Override
  public void onDelivered(List<OutboxEntry> entries, Instant at) {
    for (OutboxEntry entry : entries) {
      of(entry.entity()).delivered.increment();
    }
  }

  @Override
  public void onRetryScheduled(OutboxEntry entry, Integer status, String error, Instant nextAttemptAt) {
    of(entry.entity()).retried.increment();
  }

  @Override
  public void onDeadLettered(OutboxEntry entry, Integer status, String error) {
    of(entry.entity()).deadLettered.increment();
  }
}

package dev.dualwrite.benchmarks;

import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.spi.TargetClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A target client that notes when the service acknowledged each change (by entity id) and counts them. */
final class AckClock implements TargetClient {
  private final TargetClient delegate;
  final Map<String, Long> ackNanos = new ConcurrentHashMap<>();
  final AtomicLong acknowledged = new AtomicLong();
  private final boolean recordTimes;

  AckClock(TargetClient delegate, boolean recordTimes) {
    this.delegate = delegate;
    this.recordTimes = recordTimes;
  }

  @Override
  public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
    List<DeliveryResult> results = delegate.deliver(changes);
    long now = System.nanoTime();
    if (recordTimes) {
      for (OutboxEntry change : changes) {
        ackNanos.putIfAbsent(change.entityId(), now);
      }
    }
    acknowledged.addAndGet(changes.size());
    return results;
  }

  @Override
  public void close() {
    delegate.close();
  }
}

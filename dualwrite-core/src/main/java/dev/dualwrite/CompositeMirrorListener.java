package dev.dualwrite;

import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.relay.MirrorListener;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells every listener, in order; one that throws is logged and skipped. */
final class CompositeMirrorListener implements MirrorListener {
  private static final Logger log = LoggerFactory.getLogger(CompositeMirrorListener.class);
  private final List<MirrorListener> listeners;

  CompositeMirrorListener(List<MirrorListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onAppended(String entity, int count) {
    each(l -> l.onAppended(entity, count));
  }

  @Override
  public void onDelivered(List<OutboxEntry> entries, Instant at) {
    each(l -> l.onDelivered(entries, at));
  }

  @Override
  public void onRetryScheduled(OutboxEntry entry, Integer status, String error, Instant nextAttemptAt) {
    each(l -> l.onRetryScheduled(entry, status, error, nextAttemptAt));
  }

  @Override
  public void onDeadLettered(OutboxEntry entry, Integer status, String error) {
    each(l -> l.onDeadLettered(entry, status, error));
  }

  private void each(java.util.function.Consumer<MirrorListener> call) {
    for (MirrorListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.warn("dualwrite: MirrorListener {} threw; ignored: {}", listener.getClass().getName(), e.toString());
      }
    }
  }
}

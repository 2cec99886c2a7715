package dev.dualwrite.relay;

import dev.dualwrite.outbox.OutboxEntry;
import java.time.Instant;
import java.util.List;

/**
 * Hears what happens to mirrored changes. Every method has a no-op default; implement the ones you need. Called on
 * dualwrite's threads (the committing thread for {@link #onAppended}, a relay thread for the others): keep it quick
 * and do not throw; an exception is logged and ignored. Entries carry the payload: do not log it, it may hold
 * sensitive fields.
 */
public interface MirrorListener {

  /** {@code count} changes of {@code entity} were committed to the outbox. */
  default void onAppended(String entity, int count) {}

  /** The new service took these changes (applied, or already held a newer version) at {@code at}. */
  default void onDelivered(List<OutboxEntry> entries, Instant at) {}

  /** A delivery attempt failed; the change is due again at {@code nextAttemptAt}. {@code status} may be null. */
  default void onRetryScheduled(OutboxEntry entry, Integer status, String error, Instant nextAttemptAt) {}

  /** The relay gave up on a change: it is now a dead letter. {@code status} may be null. */
  default void onDeadLettered(OutboxEntry entry, Integer status, String error) {}
}

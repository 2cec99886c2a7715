package dev.dualwrite.cutover;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the reverse sync of one entity stands: how far into the new service's change feed legacy has taken the
 * changes, who consumes it, and its counts since the entity last entered {@code NEW_WRITES}. Immutable.
 *
 * @param entity the entity's migration name
 * @param started whether a reverse sync of the entity has begun (it begins when the entity enters NEW_WRITES)
 * @param cursor the feed cursor through which changes are applied, null before the first
 * @param head the feed's head when it was last read
 * @param caughtUp whether every change up to that head is applied
 * @param behindAtLeast how many changes were known to wait after the cursor when the feed was last read (a lower
 *     bound: the feed is read a page at a time)
 * @param lag how long ago the oldest change not applied yet was made, as far as is known; zero when caught up
 * @param applied changes applied to legacy
 * @param skipped changes legacy already had (or had newer)
 * @param failed changes legacy refused, now dead letters
 * @param deadLetters dead letters waiting now
 * @param consumer the node that holds the lease on the feed, or null
 * @param caughtUpAt when the consuming node last read the feed and found nothing after its cursor, or null
 * @param lastChangeAt when the new service made the last change applied, or null
 * @param unreadable why the state could not be read, or null
 */
public record ReverseSyncStatus(
    String entity,
    boolean started,
    String cursor,
    String head,
    boolean caughtUp,
    long behindAtLeast,
    Duration lag,
    long applied,
    long skipped,
    long failed,
    long deadLetters,
    String consumer,
    Instant caughtUpAt,
    Instant lastChangeAt,
    String unreadable) {}

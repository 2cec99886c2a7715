package dev.dualwrite.hibernate;

import static org.awaitility.Awaitility.await;

import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.User;
import dev.failsafe.RateLimiter;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.HibernateException;

/**
 * Live write traffic on users and notes through Hibernate, from several threads until stopped: updates and deletes of
 * random rows among the first {@code rows} ids, and inserts of new ids above them, at most {@code rows} in all (a walk
 * of the keys that meets every insert would otherwise chase writers faster than itself for ever). Deleted ids are never
 * inserted again. Or ({@link #renaming}) only renames of some users, at a bounded rate.
 */
final class LiveTraffic {
  private final MirrorFixture app;
  private final int rows;
  private final List<Long> renamedOnly;
  private final RateLimiter<Object> pace;
  private final AtomicLong nextId;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<CompletableFuture<Void>> writers = new ArrayList<>();
  final AtomicLong updates = new AtomicLong();
  final AtomicLong deletes = new AtomicLong();
  final AtomicLong inserts = new AtomicLong();

  LiveTraffic(MirrorFixture app, int rows) {
    this(app, rows, null, null);
  }

  private LiveTraffic(MirrorFixture app, int rows, List<Long> renamedOnly, RateLimiter<Object> pace) {
    this.app = app;
    this.rows = rows;
    this.renamedOnly = renamedOnly;
    this.pace = pace;
    this.nextId = new AtomicLong(rows);
  }

  /**
   * Traffic that only renames users among {@code userIds} (no deletes, no inserts, no notes), at most
   * {@code writesPerSecond} in all, so that the relay keeps up whatever the machine.
   */
  static LiveTraffic renaming(MirrorFixture app, List<Long> userIds, int writesPerSecond) {
    return new LiveTraffic(app, 0, List.copyOf(userIds),
        RateLimiter.smoothBuilder(writesPerSecond, Duration.ofSeconds(1)).build());
  }

  /** Starts {@code threads} writers. */
  LiveTraffic start(int threads) {
    for (int i = 0; i < threads; i++) {
      writers.add(CompletableFuture.runAsync(this::write));
    }
    return this;
  }

  /** Every committed write so far. */
  long writes() {
    return updates.get() + deletes.get() + inserts.get();
  }

  /**
   * Waits until the writers made {@code count} more writes than when called: called from inside a verification (a
   * {@link RecordingSource#afterScan} hook), it makes writes overlap the verification by construction.
   */
  void awaitMoreWrites(int count) {
    long target = writes() + count;
    await().atMost(Duration.ofMinutes(1)).until(() -> writes() >= target);
  }

  /** Stops the writers and waits for them. */
  void stop() throws Exception {
    running.set(false);
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
  }

  /** Waits for the pace's next permit, at most 100 ms so that a stop is noticed; false when none came in time. */
  private boolean paced() {
    try {
      return pace.tryAcquirePermit(Duration.ofMillis(100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void write() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running.get() && !Thread.currentThread().isInterrupted()) {
      if (renamedOnly != null) {
        long id = renamedOnly.get(random.nextInt(renamedOnly.size()));
        if (!paced()) {
          continue;
        }
        try {
          app.sessions.inTransaction(s -> s.find(User.class, id).setName("renamed " + random.nextInt()));
          updates.incrementAndGet();
        } catch (OptimisticLockException | HibernateException e) {
          // another writer won the row: nothing of this transaction was mirrored
        }
        continue;
      }
      int kind = random.nextInt(20);
      boolean user = random.nextBoolean();
      try {
        if (kind == 0 && inserts.get() < rows) {
          long id = nextId.incrementAndGet();
          app.sessions.inTransaction(s -> s.persist(user ? new User(id, "new" + id + "@example.com", "New " + id)
              : new Note(id, "new " + id)));
          inserts.incrementAndGet();
          continue;
        }
        long id = 1 + random.nextInt(rows);
        boolean delete = kind == 1;
        boolean[] found = new boolean[1];
        app.sessions.inTransaction(s -> {
          Object row = user ? s.find(User.class, id) : s.find(Note.class, id);
          found[0] = row != null;
          if (row == null) {
            return;
          }
          if (delete) {
            s.remove(row);
          } else if (row instanceof User u) {
            u.setName("renamed " + random.nextInt());
          } else {
            ((Note) row).setText("edited " + random.nextInt());
          }
        });
        if (found[0]) {
          (delete ? deletes : updates).incrementAndGet();
        }
      } catch (OptimisticLockException | HibernateException e) {
        // another writer, or a deadlock with the backfill's shared locks, rolled this transaction back: as in
        // production, nothing of it was mirrored
      }
    }
  }
}

package dev.dualwrite.benchmarks;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.SessionFactory;

/**
 * The cost of mirroring a write, against no mirroring and against the physical reference ({@link ReferenceOutbox}),
 * all three in interleaved rounds of equal length in one run, on 4 threads. Each transaction inserts one mirrored
 * entity and updates another (two changes).
 *
 * <p>First pass, delivering: dualwrite's relay (the default configuration) and the reference's relay deliver during
 * their rounds. What is still undelivered when a round ends is counted ({@code undelivered_at_round_end}: the worst
 * round's share of its changes), then drained outside the timed window; the database's write work (WAL bytes from
 * {@code pg_current_wal_lsn()}, rows inserted, updated and deleted from {@code pg_stat_user_tables}) is measured from
 * the round's start to the end of that drain, so it holds all the work each transaction causes (rows per table are
 * added up over the whole pass: each outbox table is written only in its own mode's rounds and drains). Second pass,
 * capture only: no relay runs, which leaves the cost inside the transaction alone. 7 rounds of 3 s per mode and pass,
 * interleaved; each ratio is the median over the 7 triples of rounds (off, reference, mirroring) of the ratio within
 * the triple.
 */
final class WriteOverheadBenchmark {
  private static final int THREADS = 4;
  private static final int USERS_PER_THREAD = 250;

  /** The three configurations measured side by side. */
  enum Mode {
    OFF("mirroring_off"), REFERENCE("reference"), MIRRORING("mirroring_on");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** What one mode added up over its rounds. */
  private static final class Tally {
    long transactions;
    double seconds;
    double worstUndelivered;
    long wal;
    double rowsPerTx;
    final List<Double> roundRates = new ArrayList<>();

    double perSecond() {
      return transactions / seconds;
    }

    /**
     * The median over the passes' triples of rounds of this mode's rate divided by {@code base}'s in the same triple:
     * a burst of load from elsewhere on the machine moves one triple, not the figure.
     */
    double medianRatioTo(Tally base) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < Math.min(roundRates.size(), base.roundRates.size()); i++) {
        ratios.add(roundRates.get(i) / base.roundRates.get(i));
      }
      ratios.sort(null);
      int n = ratios.size();
      return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
    }
  }

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    List<Figure> figures = new ArrayList<>();
    Map<Mode, Tally> delivering = measure(env, quick, true);
    figures.addAll(delivering(delivering));
    figures.addAll(captureOnly(measure(env, quick, false)));
    return figures;
  }

  /** The capture-only pass alone (group {@code capture}): for experiments on the cost inside the transaction. */
  static List<Figure> runCaptureOnly(BenchEnvironment env, boolean quick) throws Exception {
    return captureOnly(measure(env, quick, false));
  }

  private static List<Figure> delivering(Map<Mode, Tally> delivering) {
    List<Figure> figures = new ArrayList<>();
    Tally off = delivering.get(Mode.OFF);
    Tally reference = delivering.get(Mode.REFERENCE);
    Tally mirroring = delivering.get(Mode.MIRRORING);
    for (Mode mode : Mode.values()) {
      figures.add(new Figure("write_tx_per_s_" + mode.label, delivering.get(mode).perSecond(), "tx/s"));
    }
    figures.add(new Figure("write_overhead_ratio_reference", reference.medianRatioTo(off), "ratio"));
    figures.add(new Figure("write_overhead_ratio", mirroring.medianRatioTo(off), "ratio"));
    figures.add(new Figure("write_overhead_ratio_to_reference", mirroring.medianRatioTo(reference), "ratio"));
    figures.add(new Figure("undelivered_at_round_end", mirroring.worstUndelivered, "ratio"));
    figures.add(new Figure("undelivered_at_round_end_reference", reference.worstUndelivered, "ratio"));
    for (Mode mode : Mode.values()) {
      Tally t = delivering.get(mode);
      figures.add(new Figure("wal_bytes_per_tx_" + mode.label, (double) t.wal / t.transactions, "bytes"));
      figures.add(new Figure("rows_written_per_tx_" + mode.label, t.rowsPerTx, "rows"));
    }
    figures.add(new Figure("wal_bytes_ratio_to_reference",
        ((double) mirroring.wal / mirroring.transactions) / ((double) reference.wal / reference.transactions),
        "ratio"));
    return figures;
  }

  private static List<Figure> captureOnly(Map<Mode, Tally> captureOnly) {
    List<Figure> figures = new ArrayList<>();
    Tally offAlone = captureOnly.get(Mode.OFF);
    figures.add(new Figure("write_overhead_ratio_reference_capture_only",
        captureOnly.get(Mode.REFERENCE).medianRatioTo(offAlone), "ratio"));
    figures.add(new Figure("write_overhead_ratio_capture_only",
        captureOnly.get(Mode.MIRRORING).medianRatioTo(offAlone), "ratio"));
    figures.add(new Figure("write_overhead_ratio_capture_only_to_reference",
        captureOnly.get(Mode.MIRRORING).medianRatioTo(captureOnly.get(Mode.REFERENCE)), "ratio"));
    for (Mode mode : List.of(Mode.REFERENCE, Mode.MIRRORING)) {
      Tally t = captureOnly.get(mode);
      figures.add(new Figure("wal_bytes_per_tx_" + mode.label + "_capture_only", (double) t.wal / t.transactions,
          "bytes"));
    }
    return figures;
  }

  /**
   * Rounds of the three modes in turn. With {@code delivering}, dualwrite's relay (default configuration) and the
   * reference's relay deliver during the rounds; without, neither runs, and what the rounds appended is deleted after
   * each round's measurement.
   */
  private static Map<Mode, Tally> measure(BenchEnvironment env, boolean quick, boolean delivering)
      throws Exception {
    env.resetDualWriteTables();
    Duration round = quick ? Duration.ofMillis(300) : Duration.ofSeconds(3);
    int rounds = quick ? 3 : 21;
    Map<Mode, Tally> tallies = new EnumMap<>(Mode.class);
    for (Mode mode : Mode.values()) {
      tallies.put(mode, new Tally());
    }
    try (DualWrite dualWrite = env.node(b -> delivering ? b.withTargetUrl(env.service.baseUrl()) : b);
        SessionFactory sessions = env.sessions(dualWrite);
        ReferenceOutbox reference = ReferenceOutbox.start(env.dataSource, env.service.baseUrl(), delivering)) {
      sessions.inTransaction(s -> {
        for (long id = 1; id <= (long) THREADS * USERS_PER_THREAD; id++) {
          s.persist(new BenchUser(id));
        }
      });
      AtomicLong nextId = new AtomicLong(1_000_000);
      for (Mode mode : Mode.values()) { // warm-up, each mode once
        moveTo(dualWrite, mode);
        round(sessions, reference, nextId, Duration.ofMillis(quick ? 100 : 2000), mode);
        settle(env, dualWrite, reference, delivering);
      }
      Map<String, Long> rowsBefore = env.rowsWritten(quick);
      for (int r = 0; r < rounds; r++) {
        Mode mode = Mode.values()[r % 3];
        moveTo(dualWrite, mode);
        long walBefore = env.walPosition();
        long done = round(sessions, reference, nextId, round, mode);
        long undelivered = switch (mode) {
          case OFF -> 0;
          case REFERENCE -> reference.undelivered();
          case MIRRORING -> Sql.count(env.dataSource, "SELECT COUNT(*) FROM dualwrite_outbox WHERE status = 'PENDING'");
        };
        if (delivering) {
          drain(dualWrite, reference);
        }
        long wal = env.walPosition() - walBefore;
        if (!delivering) {
          settle(env, dualWrite, reference, false);
        }
        Tally tally = tallies.get(mode);
        tally.transactions += done;
        tally.seconds += round.toMillis() / 1000.0;
        tally.roundRates.add(done / (round.toMillis() / 1000.0));
        tally.worstUndelivered = Math.max(tally.worstUndelivered, undelivered / (2.0 * done));
        tally.wal += wal;
      }
      // rows per table over the whole pass: each outbox table is written only in (and right after) its mode's rounds
      Map<String, Long> rows = env.rowsWritten(quick);
      rows.replaceAll((table, n) -> n - rowsBefore.getOrDefault(table, 0L));
      long allTransactions = tallies.values().stream().mapToLong(t -> t.transactions).sum();
      double appRowsPerTx = (double) rows.getOrDefault("bench_users", 0L) / allTransactions;
      for (Mode mode : Mode.values()) {
        Tally tally = tallies.get(mode);
        String table = switch (mode) {
          case OFF -> null;
          case REFERENCE -> ReferenceOutbox.TABLE;
          case MIRRORING -> "dualwrite_outbox";
        };
        tally.rowsPerTx = appRowsPerTx
            + (table == null ? 0 : (double) rows.getOrDefault(table, 0L) / tally.transactions);
      }
      return tallies;
    }
  }

  private static void moveTo(DualWrite dualWrite, Mode mode) {
    BenchEnvironment.moveTo(dualWrite, "users",
        mode == Mode.MIRRORING ? MigrationPhase.DUAL_WRITE : MigrationPhase.LEGACY_ONLY);
  }

  private static void drain(DualWrite dualWrite, ReferenceOutbox reference) {
    if (!dualWrite.relay().drain(Duration.ofMinutes(2))) {
      throw new IllegalStateException("dualwrite's relay did not drain the round's changes in 2 minutes");
    }
    reference.drain();
  }

  /** After a round outside the measurement: delivers what it appended, or deletes it when nothing delivers. */
  private static void settle(BenchEnvironment env, DualWrite dualWrite, ReferenceOutbox reference,
      boolean delivering) {
    if (delivering) {
      drain(dualWrite, reference);
    } else {
      Sql.execute(env.dataSource, "TRUNCATE dualwrite_outbox"); // keeps the id sequence: versions stay unique
      reference.empty();
    }
  }

  private static long round(SessionFactory sessions, ReferenceOutbox reference, AtomicLong nextId, Duration length,
      Mode mode) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long end = System.nanoTime() + length.toNanos();
    try {
      List<Future<Long>> counts = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long firstUser = 1L + (long) t * USERS_PER_THREAD;
        counts.add(pool.submit(() -> {
          long done = 0;
          while (System.nanoTime() < end) {
            long updated = firstUser + ThreadLocalRandom.current().nextInt(USERS_PER_THREAD);
            sessions.inTransaction(s -> {
              BenchUser fresh = new BenchUser(nextId.getAndIncrement());
              s.persist(fresh);
              BenchUser user = s.find(BenchUser.class, updated);
              user.rename("renamed " + System.nanoTime());
              if (mode == Mode.REFERENCE) {
                s.flush();
                s.doWork(connection -> ReferenceOutbox.insert(connection, fresh, user));
              }
            });
            if (mode == Mode.REFERENCE) {
              reference.nudge();
            }
            done++;
          }
          return done;
        }));
      }
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  private WriteOverheadBenchmark() {}
}

package dev.dualwrite.spring.actuate;

import dev.dualwrite.DualWrite;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.backfill.BackfillListener;
import dev.dualwrite.backfill.BackfillProgress;
import dev.dualwrite.jdbc.DualWriteRecords;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfills and verifications the endpoint started on this node: each runs on a daemon thread of its own, one
 * of each kind per entity at a time, and keeps its progress and outcome until the next one starts. Thread-safe.
 */
final class EndpointJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointJobs.class);

  /** What a job does. */
  enum Kind { BACKFILL, VERIFICATION }

  private final DualWrite dualWrite;
  private final Function<String, LegacySource> legacySources;
  private final @Nullable DualWriteRecords records;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "dualwrite-endpoint-job-" + threads.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param legacySources each entity's legacy rows; throws {@link IllegalStateException} saying why for an entity
   *     whose rows cannot be read
   * @param records where a running verification's counts are read; null when the application has no data source
   */
  EndpointJobs(DualWrite dualWrite, Function<String, LegacySource> legacySources, @Nullable DualWriteRecords records) {
    this.dualWrite = dualWrite;
    this.legacySources = legacySources;
    this.records = records;
  }

  /** Starts a backfill of {@code entity}; refused with the running job's description when one runs. */
  Job backfill(String entity, long rowsPerSecond, boolean restart, String actor) {
    LegacySource source = legacySources.apply(entity);
    Job job = start(entity, Kind.BACKFILL, actor, "backfill");
    Backfill backfill = Backfill.builder(dualWrite, source).withRowsPerSecond(rowsPerSecond)
        .onProgress(new BackfillListener() {
          @Override
          public void onProgress(BackfillProgress p) {
            job.progress(p.rowsThisRun(), p.rowsThisRun() + p.rowsLeft(), p.rowsPerSecond(), p.timeLeft());
          }
        })
        .build();
    run(job, () -> {
      if (restart) {
        backfill.reset();
      }
      BackfillCheckpoint done = backfill.run();
      return "backfill " + entity + ": rows=" + done.rowsDone() + (done.finished() ? " finished"
          : " stopped at " + done.lastId());
    });
    return job;
  }

  /** Starts a verification (or repair) of {@code entity}; refused when one runs. */
  Job verify(String entity, double sampleRate, boolean repair, String actor) {
    LegacySource source = legacySources.apply(entity);
    Verifier verifier = Verifier.builder(dualWrite, source).withSampleRate(sampleRate).build();
    Job job = start(entity, Kind.VERIFICATION, actor, repair ? "repair" : "verification");
    run(job, () -> {
      long total = Math.round(source.inTransaction(tx -> tx.countAfter(null)) * sampleRate);
      job.progress(0, total, 0, null);
      VerificationReport report = repair ? verifier.repair() : verifier.verify();
      job.progress(report.compared(), total, rate(report.compared(), job.startedAt), null);
      job.report = report;
      return report.describe();
    });
    return job;
  }

  /** The latest backfill or verification the endpoint started for {@code entity}, with its progress now. */
  DualWriteEndpoint.@Nullable JobStatus status(String entity, Kind kind) {
    Job job = jobs.get(entity + "/" + kind);
    if (job == null) {
      return null;
    }
    if (kind == Kind.VERIFICATION && job.finishedAt == null && records != null) {
      records.latestVerification(entity).filter(r -> !r.finished()).ifPresent(r -> job.progress(r.compared(),
          job.total, rate(r.compared(), job.startedAt), null));
    }
    return job.status();
  }

  private double rate(long done, Instant since) {
    double seconds = Math.max(Duration.between(since, clock.instant()).toMillis() / 1000.0, 0.001);
    return done / seconds;
  }

  private Job start(String entity, Kind kind, String actor, String what) {
    Job job = new Job(entity, what, actor, clock.instant());
    Job running = jobs.compute(entity + "/" + kind, (key, old) -> old != null && old.finishedAt == null ? old : job);
    if (running != job) {
      throw new DualWriteEndpointException(DualWriteEndpointException.Refusal.CONFLICT, "a " + running.what + " of '"
          + entity + "' started by " + running.actor + " at " + running.startedAt + " is still running; wait for it"
          + " to finish (GET /actuator/dualwrite/" + entity + " shows its progress)");
    }
    return job;
  }

  /** Work of a job: returns its outcome in one or more lines. */
  @FunctionalInterface
  interface Work {
    String run() throws Exception;
  }

  private void run(Job job, Work work) {
    executor.execute(() -> {
      try {
        job.outcome = work.run();
        log.info("dualwrite: {} of '{}' started by {} through the Actuator endpoint ended: {}", job.what, job.entity,
            job.actor, job.outcome.lines().findFirst().orElse(""));
      } catch (Exception | LinkageError e) {
        job.error = e.getMessage() == null ? e.toString() : e.getMessage();
        log.warn("dualwrite: {} of '{}' started through the Actuator endpoint failed", job.what, job.entity, e);
      } finally {
        job.finishedAt = clock.instant();
      }
    });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** One run. Its fields are written by the job's thread and read by requests. */
  static final class Job {
    final String entity;
    final String what;
    final String actor;
    final Instant startedAt;
    volatile long done;
    volatile long total = -1;
    volatile double rowsPerSecond;
    volatile @Nullable Duration timeLeft;
    volatile @Nullable Instant finishedAt;
    volatile @Nullable String outcome;
    volatile @Nullable String error;
    volatile @Nullable VerificationReport report;

    Job(String entity, String what, String actor, Instant startedAt) {
      this.entity = entity;
      this.what = what;
      this.actor = actor;
      this.startedAt = startedAt;
    }

    void progress(long done, long total, double rowsPerSecond, @Nullable Duration timeLeft) {
      this.done = done;
      this.total = total;
      this.rowsPerSecond = rowsPerSecond;
      this.timeLeft = timeLeft != null || rowsPerSecond <= 0 || total < 0 ? timeLeft
          : Duration.ofMillis((long) (Math.max(0, total - done) / rowsPerSecond * 1000));
    }

    DualWriteEndpoint.JobStatus status() {
      Instant finished = finishedAt;
      Duration left = timeLeft;
      return new DualWriteEndpoint.JobStatus(what, finished == null ? DualWriteEndpoint.JobStatus.State.RUNNING
          : error != null ? DualWriteEndpoint.JobStatus.State.FAILED : DualWriteEndpoint.JobStatus.State.FINISHED, actor, startedAt, finished, done,
          total < 0 ? null : total, total <= 0 ? null : Math.min(100.0, 100.0 * done / total), rowsPerSecond,
          finished != null || left == null ? null : left.toMillis(), outcome, error, report);
    }
  }
}

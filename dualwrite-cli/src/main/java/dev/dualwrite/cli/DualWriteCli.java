package dev.dualwrite.cli;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityStatus;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.backfill.BackfillListener;
import dev.dualwrite.backfill.BackfillProgress;
import dev.dualwrite.cutover.ReverseDeadLetter;
import dev.dualwrite.cutover.ReverseSync;
import dev.dualwrite.cutover.ReverseSyncStatus;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.jdbc.DatabaseDialect;
import dev.dualwrite.jdbc.DualWriteSchema;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.outbox.Outbox;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dualwrite <command>}: what a tech lead does to migrate an entity. Exit code 0 on success; 1 with a one-line
 * reason when the command could not do what was asked (a refused move names the gate and its measured value); 2 for a
 * command line that cannot be read. {@code status}, {@code history} and {@code dead-letters list} only read.
 */
@Command(name = "dualwrite", mixinStandardHelpOptions = true, version = "dualwrite 0.1.0",
    description = "Move entities between migration phases, backfill, verify and handle dead letters.",
    footer = {"", "Exit codes: 0 done; 1 not done (the reason is printed); 2 a command line that cannot be read."},
    subcommands = {
      DualWriteCli.Status.class,
      DualWriteCli.Phase.class,
      DualWriteCli.History.class,
      DualWriteCli.BackfillCommand.class,
      DualWriteCli.Verify.class,
      DualWriteCli.DeadLetters.class,
      DualWriteCli.Delivery.class,
      DualWriteCli.Schema.class,
      DualWriteCli.Forget.class
    })
public final class DualWriteCli {
  private static final String LOGGING = "logback.configurationFile";

  @Mixin MonolithConnection connection;

  public static void main(String[] args) {
    if (System.getProperty(LOGGING) == null) {
      // the CLI's own logging setup, under a name no application's logback.xml shares
      System.setProperty(LOGGING, "dev/dualwrite/cli/logback-cli.xml");
    }
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    DualWriteCli cli = new DualWriteCli();
    CommandLine commandLine = new CommandLine(cli).setOut(out).setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .registerConverter(MigrationPhase.class, DualWriteCli::phase)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          String message = e instanceof CliFailure || e instanceof DualWriteException
              || e instanceof IllegalArgumentException || e instanceof IllegalStateException
              ? e.getMessage() : e.toString();
          err.println("dualwrite: " + message.replaceAll("\\s*\\R\\s*", " "));
          return 1;
        });
    try {
      return commandLine.execute(args);
    } finally {
      if (cli.connection != null) {
        cli.connection.close();
      }
      out.flush();
      err.flush();
    }
  }

  private static MigrationPhase phase(String name) {
    try {
      return MigrationPhase.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Base of the subcommands: the shared connection and printers. */
  abstract static class Subcommand implements Callable<Integer> {
    @ParentCommand DualWriteCli cli;
    @Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    MonolithConnection connection() {
      return cli.connection;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Per entity: phase, canary, backlog,"
      + " oldest undelivered change, dead letters, backfill, last verification and each gate of the next move with"
      + " what it measured. Only reads.")
  static final class Status extends Subcommand {
    @Parameters(arity = "0..1", paramLabel = "ENTITY", description = "One entity; every known one when absent.")
    String entity;

    @Override
    public Integer call() {
      SortedSet<String> known = connection().knownEntities();
      if (known.isEmpty()) {
        out().println("no entity is known yet: dualwrite's tables mention none and no @Mirrored class is given"
            + " (--monolith). Start with 'phase <entity> DUAL_WRITE'.");
        return 0;
      }
      DualWrite dualWrite = connection().dualWrite();
      List<EntityStatus> statuses = entity == null ? dualWrite.status()
          : List.of(dualWrite.status(connection().known(entity)));
      statuses.forEach(this::print);
      return 0;
    }

    private void print(EntityStatus status) {
      MirrorStats mirror = status.mirror();
      out().println(status.entity() + ": " + status.phase() + (status.state().revision() == 0 ? " (never moved)"
          : " since " + Human.time(status.state().changedAt()))
          + (status.phase() == MigrationPhase.NEW_READS ? ", canary " + Human.percent(status.canaryPercent()) : ""));
      if (status.recordsUnreadable() != null) {
        out().println("  dualwrite's tables cannot be read: " + status.recordsUnreadable());
      }
      out().println("  mirror: backlog " + Human.count(mirror.backlog()) + ", oldest undelivered "
          + (mirror.backlog() == 0 ? "-" : Human.duration(mirror.oldestPendingAge()) + " old") + ", dead letters "
          + Human.count(mirror.deadLetters()));
      out().println("  backfill: " + backfill(status.backfill()));
      out().println("  last verification: " + lastVerification(status.lastVerification()));
      ReverseSyncStatus reverse = status.reverseSync();
      if (reverse != null && (reverse.started() || reverse.deadLetters() > 0)) {
        out().println("  reverse sync: " + (reverse.caughtUp() ? "caught up" : "behind by at least "
            + Human.count(reverse.behindAtLeast()) + " change(s), lag " + Human.duration(reverse.lag()))
            + " (cursor " + (reverse.cursor() == null ? "at the feed's start" : reverse.cursor()) + ", feed head "
            + (reverse.head() == null ? "none yet" : reverse.head()) + "), applied "
            + Human.count(reverse.applied()) + ", skipped " + Human.count(reverse.skipped()) + ", dead letters "
            + Human.count(reverse.deadLetters()) + ", consumer " + (reverse.consumer() == null ? "none"
            : reverse.consumer()));
      }
      if (!status.legacyWritePaths().isEmpty()) {
        out().println("  legacy writes since the last move, by call site:");
        status.legacyWritePaths().forEach(p -> out().println("    " + Human.count(p.writes()) + " at " + p.callSite()
            + " (last " + Human.time(p.lastSeen()) + ")"));
      }
      if (status.nextPhase() != null) {
        List<GateResult> gates = status.nextGates();
        out().println("  next: " + status.nextPhase() + (gates.isEmpty() ? " (no gates)" : ""));
        gates.forEach(g -> out().println("    " + gate(g)));
      }
    }

    private static String backfill(BackfillCheckpoint checkpoint) {
      return checkpoint == null ? "not run" : Human.count(checkpoint.rowsDone()) + " rows, "
          + (checkpoint.finishedAt() == null ? "not finished (last chunk " + Human.time(checkpoint.updatedAt())
              + "; run backfill again to resume)" : "finished " + Human.time(checkpoint.finishedAt()));
    }

    private static String lastVerification(VerificationReport r) {
      return r == null ? "none" : r.summary() + " (" + Human.time(r.finishedAt()) + ")";
    }
  }

  /** {@code ok    gate: measured (requires required)} or {@code FAIL  ...}. */
  static String gate(GateResult gate) {
    return (gate.passed() ? "ok    " : "FAIL  ") + gate.gate() + ": " + gate.measured() + " (requires "
        + gate.required() + ")";
  }

  @Command(name = "phase", mixinStandardHelpOptions = true, description = "Moves an entity one phase forward or"
      + " back (gates apply to forward moves and to the step back out of NEW_WRITES); --force with a reason skips phases and overrides gates.")
  static final class Phase extends Subcommand {
    @Parameters(index = "0", paramLabel = "ENTITY", description = "The entity, e.g. users.") String entity;
    @Parameters(index = "1", paramLabel = "PHASE", description = "The phase to move to: ${COMPLETION-CANDIDATES}.")
    MigrationPhase phase;
    @Option(names = "--force", description = "Skip phases and override failing gates.") boolean force;
    @Option(names = "--reason", description = "Why; required with --force, recorded in the history.") String reason;
    @Option(names = "--actor", defaultValue = "${sys:user.name}", description = "Who; default the OS user.")
    String actor;
    @Option(names = "--canary", paramLabel = "PERCENT",
        description = "Also set the NEW_READS canary percentage, 0 to 100.") Double canary;
    @Option(names = "--new-entity", description = "Create the entity on purpose when dualwrite does not know it yet"
        + " (no rows in its tables, no @Mirrored class in --monolith).") boolean newEntity;

    @Override
    public Integer call() {
      DualWrite dualWrite;
      if (newEntity) {
        if (connection().knownEntities().contains(entity)) {
          throw new CliFailure("entity '" + entity + "' is known already; drop --new-entity");
        }
        dualWrite = connection().dualWrite(entity);
      } else {
        connection().known(entity);
        dualWrite = connection().dualWrite();
      }
      PhaseMove move = dualWrite.phases().current(entity) == phase && canary != null ? null
          : force ? dualWrite.phases().forceMove(entity, phase, actor, reason)
              : dualWrite.phases().move(entity, phase, actor, reason);
      if (move != null) {
        out().println(entity + ": " + move.from() + " -> " + move.to() + (move.forced() ? " (forced)" : ""));
      }
      if (canary != null) {
        dualWrite.phases().setCanaryPercent(entity, canary, actor, reason);
        out().println(entity + ": canary " + Human.percent(canary));
      }
      return 0;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "Every phase move of an entity: when, from, to, canary, who, why. Only reads.")
  static final class History extends Subcommand {
    @Parameters(index = "0", paramLabel = "ENTITY", description = "The entity.") String entity;

    @Override
    public Integer call() {
      List<PhaseMove> moves = connection().dualWrite().phases().history(connection().known(entity));
      for (PhaseMove move : moves) {
        out().println(Human.time(move.at()) + "  " + move.from() + " -> " + move.to()
            + (move.canaryPercent() == null ? "" : " (canary " + Human.percent(move.canaryPercent()) + ")")
            + (move.forced() ? " FORCED" : "") + " by " + move.actor()
            + (move.reason() == null ? "" : ": " + move.reason()));
      }
      if (moves.isEmpty()) {
        out().println(entity + " was never moved (LEGACY_ONLY)");
      }
      return 0;
    }
  }

  @Command(name = "backfill", mixinStandardHelpOptions = true, description = "Copies an entity's existing rows to"
      + " the new service, resuming from its checkpoint, with a live progress bar (rows, %%, rate, ETA).")
  static final class BackfillCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "ENTITY", description = "The entity.") String entity;
    @Option(names = "--rows-per-second", defaultValue = "0", paramLabel = "N", description = "Throttle; 0 for none.")
    long rate;
    @Option(names = "--restart", description = "Forget the checkpoint and copy everything again.") boolean restart;

    @Override
    public Integer call() throws SQLException {
      connection().known(entity);
      LegacySource source = connection().legacySource(entity);
      ProgressBar bar = new ProgressBar(err(), "backfill " + entity);
      Backfill backfill = Backfill.builder(connection().dualWrite(), source)
          .withRowsPerSecond(rate)
          .onProgress(new BackfillListener() {
            @Override
            public void onProgress(BackfillProgress p) {
              bar.draw(p.rowsThisRun(), p.rowsThisRun() + p.rowsLeft(), null);
            }
          })
          .build();
      if (restart) {
        backfill.reset();
      }
      BackfillCheckpoint before = connection().records().backfill(entity).orElse(null);
      String after = before == null || before.finished() ? null : before.lastId();
      long left = source.inTransaction(tx -> tx.countAfter(after));
      out().println("backfill " + entity + ": " + (after == null ? "from the first row"
          : "resuming after id " + after + " (" + Human.count(before.rowsDone()) + " rows done before)")
          + ", about " + Human.count(left) + " rows to copy");
      out().flush();
      bar.draw(0, left, null);
      BackfillCheckpoint done;
      try {
        done = backfill.run();
      } finally {
        bar.finish();
      }
      out().println("backfill " + entity + ": rows=" + done.rowsDone() + (done.finished() ? " finished"
          : " stopped at " + done.lastId() + "; run again to resume"));
      return done.finished() ? 0 : 1;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Compares an entity in both stores and"
      + " prints 'verify <entity>: compared=<n> missing=<n> extra=<n> different=<n>', then the first differing ids"
      + " with their field differences (sensitive values masked) and, with --repair, what was repaired and why any"
      + " key was not; exit 1 when the stores differ.")
  static final class Verify extends Subcommand {
    private static final Duration TICK = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "ENTITY", description = "The entity.") String entity;
    @Option(names = "--sample", defaultValue = "1", paramLabel = "FRACTION",
        description = "Fraction of keys to compare, above 0 to 1.") double sample;
    @Option(names = "--repair", description = "Re-send what differs and confirm it arrived.") boolean repair;

    @Override
    public Integer call() throws SQLException {
      if (connection().targetUrl == null || connection().targetUrl.isBlank()) {
        throw new CliFailure("verify reads the new service: give --target-url or set DUALWRITE_TARGET_URL");
      }
      connection().known(entity);
      LegacySource source = connection().legacySource(entity);
      DualWrite dualWrite = connection().dualWrite();
      Verifier verifier = Verifier.builder(dualWrite, source).withSampleRate(sample).build();
      long total = Math.round(source.inTransaction(tx -> tx.countAfter(null)) * sample);
      ProgressBar bar = new ProgressBar(err(), (repair ? "repair " : "verify ") + entity);
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dualwrite-cli-progress");
        thread.setDaemon(true);
        return thread;
      });
      Instant started = Instant.now();
      long[] last = {-1};
      ticker.scheduleWithFixedDelay(() -> {
        try {
          long compared = connection().records().latestVerification(entity)
              .filter(r -> !r.finished() || !r.finishedAt().isBefore(started)).map(VerificationReport::compared)
              .orElse(0L);
          long backlog = dualWrite.mirrorStats(entity).backlog();
          String note = backlog == 0 ? null : (compared == last[0] ? "waiting for " : "")
              + Human.count(backlog) + " undelivered changes";
          last[0] = compared;
          bar.draw(compared, total, note);
        } catch (DualWriteException | CliFailure e) {
          bar.draw(Math.max(last[0], 0), total, "cannot read progress: " + e.getMessage());
        }
      }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
      VerificationReport report;
      try {
        report = repair ? verifier.repair() : verifier.verify();
      } finally {
        ticker.shutdownNow();
        awaitQuietly(ticker);
        bar.draw(Math.max(last[0], 0), total, null);
        bar.finish();
      }
      out().println(report.describe());
      return report.isClean() ? 0 : 1;
    }

    private static void awaitQuietly(ScheduledExecutorService ticker) {
      try {
        ticker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What {@code dead-letters} does. */
  enum LetterAction { list, retry, discard }

  @Command(name = "dead-letters", mixinStandardHelpOptions = true,
      description = "Lists (only reads), retries or discards an entity's dead letters; --reverse: those of the reverse"
          + " sync (changes of the new service legacy refused; a retry applies the change now).")
  static final class DeadLetters extends Subcommand {
    @Parameters(index = "0", paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}.") LetterAction action;
    @Parameters(index = "1", paramLabel = "ENTITY", description = "The entity.") String entity;
    @Option(names = "--id", paramLabel = "ID",
        description = "One dead letter (its # in the list); retry: all of the entity's when absent.") Long id;
    @Option(names = "--reverse", description = "The reverse sync's dead letters (NEW_WRITES), not the outbox's.")
    boolean reverse;

    @Override
    public Integer call() {
      Outbox outbox = connection().dualWrite().outbox();
      connection().known(entity);
      if (reverse) {
        return reverse(connection().dualWrite().reverseSync());
      }
      switch (action) {
        case list -> {
          List<DeadLetter> letters = outbox.deadLetters(entity, 1000);
          letters.forEach(l -> out().println("#" + l.id() + " " + entity + " id=" + l.entityId() + " "
              + l.operation() + " v" + l.version() + " attempts=" + l.attempts() + " last answer: "
              + (l.lastStatus() == null ? "none (no HTTP response)" : "HTTP " + l.lastStatus())
              + (l.lastError() == null ? "" : ": " + l.lastError()) + " (appended " + Human.time(l.createdAt()) + ")"));
          out().println(letters.size() + " dead letter(s)");
        }
        case retry -> out().println((id == null ? outbox.retryDeadLetters(entity)
            : outbox.retryDeadLetter(id) ? 1 : 0) + " dead letter(s) back in line");
        case discard -> {
          if (id == null) {
            throw new CliFailure("discard needs --id: dead letters are discarded one by one, on purpose");
          }
          if (!outbox.discardDeadLetter(id)) {
            throw new CliFailure("no dead letter #" + id + "; 'dead-letters list " + entity + "' shows them");
          }
          out().println("dead letter #" + id + " discarded");
        }
      }
      return 0;
    }

    /** {@code --reverse}: the reverse sync's dead letters. */
    private Integer reverse(ReverseSync reverseSync) {
      switch (action) {
        case list -> {
          List<ReverseDeadLetter> letters = reverseSync.deadLetters(entity, 1000);
          letters.forEach(l -> out().println("#" + l.id() + " " + entity + " id=" + l.entityId() + " "
              + l.operation() + " v" + l.version() + " attempts=" + l.attempts() + " legacy refused it: "
              + l.lastError() + " (first " + Human.time(l.createdAt()) + ")"));
          out().println(letters.size() + " reverse dead letter(s)");
        }
        case retry -> out().println((id == null ? reverseSync.retryDeadLetters(entity)
            : reverseSync.retryDeadLetter(id) ? 1 : 0) + " reverse dead letter(s) taken by legacy");
        case discard -> {
          if (id == null) {
            throw new CliFailure("discard needs --id: dead letters are discarded one by one, on purpose");
          }
          if (!reverseSync.discardDeadLetter(id)) {
            throw new CliFailure("no reverse dead letter #" + id + "; 'dead-letters list " + entity
                + " --reverse' shows them");
          }
          out().println("reverse dead letter #" + id + " discarded");
        }
      }
      return 0;
    }
  }

  /** What {@code delivery} does. */
  enum DeliveryAction { pause, resume, list }

  @Command(name = "delivery", mixinStandardHelpOptions = true,
      description = "Pauses or resumes the delivery of an entity's changes on every node (they wait in the outbox,"
          + " nothing is lost), or lists the paused entities (only reads).")
  static final class Delivery extends Subcommand {
    @Parameters(index = "0", paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}.") DeliveryAction action;
    @Parameters(index = "1", paramLabel = "ENTITY", arity = "0..1",
        description = "The entity; not for list.") String entity;
    @Option(names = "--reason", description = "Why; recorded with the pause.") String reason;
    @Option(names = "--actor", defaultValue = "${sys:user.name}", description = "Who; default the OS user.")
    String actor;

    @Override
    public Integer call() {
      Outbox outbox = connection().dualWrite().outbox();
      if (action == DeliveryAction.list) {
        List<dev.dualwrite.outbox.DeliveryPause> pauses = outbox.pausedDeliveries();
        pauses.forEach(p -> out().println(p.entity() + " paused by " + p.pausedBy() + " "
            + Human.time(p.pausedAt()) + (p.reason() == null ? "" : ": " + p.reason())));
        out().println(pauses.size() + " paused entit" + (pauses.size() == 1 ? "y" : "ies"));
        return 0;
      }
      if (entity == null) {
        throw new CliFailure(action + " needs the entity: 'dualwrite delivery " + action + " ENTITY'");
      }
      connection().known(entity);
      if (action == DeliveryAction.pause) {
        boolean paused = outbox.pauseDelivery(entity, actor, reason);
        out().println(paused ? "delivery of " + entity + " paused on every node; its changes wait in the outbox"
            + " ('dualwrite delivery resume " + entity + "' sends them)"
            : "delivery of " + entity + " was paused already");
      } else {
        boolean resumed = outbox.resumeDelivery(entity);
        out().println(resumed ? "delivery of " + entity + " resumed" : "delivery of " + entity + " was not paused");
      }
      return 0;
    }
  }

  /** What {@code schema} does. */
  enum SchemaAction { create, print }

  @Command(name = "schema", mixinStandardHelpOptions = true, description = "create: creates dualwrite's eleven tables"
      + " where they are missing (the only command that does). print: prints their SQL for your migrations.")
  static final class Schema extends Subcommand {
    @Parameters(index = "0", paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}.") SchemaAction action;
    @Option(names = "--dialect", paramLabel = "DB", description = "For print without a database: ${COMPLETION-CANDIDATES}.")
    DatabaseDialect dialect;

    @Override
    public Integer call() {
      if (action == SchemaAction.print) {
        DatabaseDialect db = dialect != null ? dialect : connection().dialect();
        out().println("-- dualwrite's tables for " + db.id() + " (" + DualWriteSchema.migrationLocation(db) + ")");
        DualWriteSchema.statements(db).forEach(sql -> out().println(sql + ";"));
        return 0;
      }
      DualWriteSchema.createIfMissing(connection().dataSource());
      out().println("dualwrite's tables are present (" + DualWriteSchema.migrationLocation(connection().dialect()) + ")");
      return 0;
    }
  }

  @Command(name = "forget", mixinStandardHelpOptions = true, description = "Deletes everything dualwrite's tables"
      + " hold about an entity that is not @Mirrored in the monolith (e.g. a misspelt name): phase, history, outbox,"
      + " backfill, verifications. The monolith's own tables are not touched.")
  static final class Forget extends Subcommand {
    @Parameters(index = "0", paramLabel = "ENTITY", description = "The entity.") String entity;

    @Override
    public Integer call() {
      if (!connection().monolithGiven()) {
        throw new CliFailure("forget needs --monolith, to make sure '" + entity + "' is not one of its @Mirrored"
            + " entities");
      }
      if (connection().mirroredClasses().containsKey(entity)) {
        throw new CliFailure("entity '" + entity + "' is @Mirrored in the monolith ("
            + connection().mirroredClasses().get(entity).getName() + "); its nodes still migrate it. Move it back to"
            + " LEGACY_ONLY with 'phase', or remove @Mirrored, before forgetting it");
      }
      if (!connection().records().entities().contains(entity)) {
        throw new CliFailure("dualwrite's tables hold nothing about '" + entity + "'; nothing to forget");
      }
      int rows = DualWriteSchema.forget(connection().dataSource(), entity);
      out().println(entity + " forgotten: " + rows + " row(s) deleted from dualwrite's tables");
      return 0;
    }
  }
}

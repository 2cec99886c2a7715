package dev.dualwrite.cli;

import dev.dualwrite.DualWrite;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityStatus;
import dev.dualwrite.backfill.Backfill;
import dev.dualwrite.backfill.BackfillCheckpoint;
import dev.dualwrite.backfill.BackfillListener;
import dev.dualwrite.backfill.BackfillProgress;
import dev.dualwrite.gate.GateResult;
import dev.dualwrite.outbox.DeadLetter;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.relay.MirrorStats;
import dev.dualwrite.verify.VerificationReport;
import dev.dualwrite.verify.Verifier;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 * command line that cannot be read.
 */
@Command(name = "dualwrite", mixinStandardHelpOptions = true, version = "dualwrite 0.1.0",
    description = "Move entities between migration phases, backfill, verify and handle dead letters.",
    subcommands = {
      DualWriteCli.Status.class,
      DualWriteCli.Phase.class,
      DualWriteCli.History.class,
      DualWriteCli.BackfillCommand.class,
      DualWriteCli.Verify.class,
      DualWriteCli.DeadLetters.class
    })
public final class DualWriteCli {
  @Mixin MonolithConnection connection;

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    DualWriteCli cli = new DualWriteCli();
    CommandLine commandLine = new CommandLine(cli).setOut(out).setErr(err)
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

  @Command(name = "status", description = "Per entity: phase, backlog, lag, dead letters, backfill, last"
      + " verification and the gates of the next move.")
  static final class Status extends Subcommand {
    @Override
    public Integer call() {
      for (EntityStatus status : connection().dualWrite().status().stream()
          .sorted(Comparator.comparing(EntityStatus::entity)).toList()) {
        MirrorStats mirror = status.mirror();
        Double override = status.state().canaryPercent();
        out().printf(Locale.ROOT, "%s: phase=%s canary=%s backlog=%d oldest=%s dead-letters=%d%n", status.entity(),
            status.phase(), override == null ? "-" : override + "%", mirror.backlog(),
            mirror.oldestPendingAge().withNanos(0), mirror.deadLetters());
        if (status.recordsUnreadable() != null) {
          out().println("  dualwrite's tables cannot be read: " + status.recordsUnreadable());
        }
        out().println("  backfill: " + backfill(status.backfill()));
        out().println("  last verification: " + lastVerification(status.lastVerification()));
        if (status.nextPhase() != null) {
          List<GateResult> gates = status.nextGates();
          out().println("  next: " + status.nextPhase() + (gates.isEmpty() ? " (no gates)" : ""));
          gates.forEach(g -> out().println("    " + (g.passed() ? "ok   " : "FAIL ") + g.describe()));
        }
      }
      return 0;
    }

    private static String backfill(BackfillCheckpoint checkpoint) {
      return checkpoint == null ? "not run" : checkpoint.rowsDone() + " rows, "
          + (checkpoint.finishedAt() == null ? "running or stopped" : "finished at " + checkpoint.finishedAt());
    }

    private static String lastVerification(VerificationReport r) {
      return r == null ? "none" : String.format(Locale.ROOT,
          "verify %s: compared=%d missing=%d extra=%d different=%d (at %s)", r.entity(), r.compared(), r.missing(),
          r.extra(), r.different(), r.finishedAt());
    }
  }

  @Command(name = "phase", description = "Moves an entity one phase forward or back (gates apply to forward"
      + " moves); --force with a reason skips phases and overrides gates.")
  static final class Phase extends Subcommand {
    @Parameters(index = "0", description = "The entity, e.g. users.") String entity;
    @Parameters(index = "1", description = "The phase to move to, e.g. SHADOW_READS.") String phase;
    @Option(names = "--force", description = "Skip phases and override failing gates.") boolean force;
    @Option(names = "--reason", description = "Why; required with --force, recorded in the history.") String reason;
    @Option(names = "--actor", defaultValue = "${sys:user.name}", description = "Who; default the OS user.")
    String actor;
    @Option(names = "--canary", description = "Also set the NEW_READS canary percentage, 0 to 100.") Double canary;

    @Override
    public Integer call() {
      DualWrite dualWrite = connection().dualWrite(entity);
      MigrationPhase target = MigrationPhase.parse(phase);
      PhaseMove move = dualWrite.phases().current(entity) == target && canary != null ? null
          : force ? dualWrite.phases().forceMove(entity, target, actor, reason)
              : dualWrite.phases().move(entity, target, actor, reason);
      if (move != null) {
        out().println(entity + ": " + move.from() + " -> " + move.to() + (move.forced() ? " (forced)" : ""));
      }
      if (canary != null) {
        dualWrite.phases().setCanaryPercent(entity, canary, actor, reason);
        out().println(entity + ": canary " + canary + " %");
      }
      return 0;
    }
  }

  @Command(name = "history", description = "Every phase move of an entity: from, to, who, why, when.")
  static final class History extends Subcommand {
    @Parameters(index = "0", description = "The entity.") String entity;

    @Override
    public Integer call() {
      for (PhaseMove move : connection().dualWrite(entity).phases().history(entity)) {
        out().printf(Locale.ROOT, "%s %s -> %s%s%s by %s%s%n", move.at(), move.from(), move.to(),
            move.canaryPercent() == null ? "" : " (canary " + move.canaryPercent() + " %)",
            move.forced() ? " FORCED" : "", move.actor(), move.reason() == null ? "" : ": " + move.reason());
      }
      return 0;
    }
  }

  @Command(name = "backfill", description = "Copies an entity's existing rows to the new service, resuming from"
      + " its checkpoint, with a live progress line.")
  static final class BackfillCommand extends Subcommand {
    @Parameters(index = "0", description = "The entity.") String entity;
    @Option(names = "--rows-per-second", defaultValue = "0", description = "Throttle; 0 for none.") long rate;
    @Option(names = "--restart", description = "Forget the checkpoint and copy everything again.") boolean restart;

    @Override
    public Integer call() {
      Backfill backfill = Backfill.builder(connection().dualWrite(entity), connection().legacySource(entity))
          .withRowsPerSecond(rate)
          .onProgress(new BackfillListener() {
            @Override
            public void onProgress(BackfillProgress p) {
              err().printf(Locale.ROOT, "\r%s: %,d rows  %,.0f rows/s  %s left   ", entity, p.rowsDone(),
                  p.rowsPerSecond(), p.timeLeft() == null ? "?" : p.timeLeft().withNanos(0));
              err().flush();
            }
          })
          .build();
      if (restart) {
        backfill.reset();
      }
      BackfillCheckpoint done = backfill.run();
      err().println();
      out().println("backfill " + entity + ": rows=" + done.rowsDone() + (done.finished() ? " finished"
          : " stopped at " + done.lastId()));
      return done.finished() ? 0 : 1;
    }
  }

  @Command(name = "verify", description = "Compares an entity in both stores and prints"
      + " 'verify <entity>: compared=<n> missing=<n> extra=<n> different=<n>'; exit 1 when they differ.")
  static final class Verify extends Subcommand {
    @Parameters(index = "0", description = "The entity.") String entity;
    @Option(names = "--sample", defaultValue = "1", description = "Fraction of keys to compare, above 0 to 1.")
    double sample;
    @Option(names = "--repair", description = "Re-enqueue what differs as fresh snapshots.") boolean repair;

    @Override
    public Integer call() {
      if (connection().targetUrl == null || connection().targetUrl.isBlank()) {
        throw new CliFailure("verify reads the new service: give --target-url or set DUALWRITE_TARGET_URL");
      }
      Verifier verifier = Verifier.builder(connection().dualWrite(entity), connection().legacySource(entity))
          .withSampleRate(sample).build();
      ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
      long started = System.nanoTime();
      progress.scheduleAtFixedRate(() -> printProgress(started), 500, 500, TimeUnit.MILLISECONDS);
      VerificationReport report;
      try {
        report = repair ? verifier.repair() : verifier.verify();
      } finally {
        progress.shutdownNow();
        err().println();
      }
      out().println(report.summary());
      return report.isClean() ? 0 : 1;
    }

    private void printProgress(long started) {
      try {
        long compared = connection().records().latestVerification(entity).map(VerificationReport::compared)
            .orElse(0L);
        double seconds = (System.nanoTime() - started) / 1e9;
        err().printf(Locale.ROOT, "\rverify %s: %,d rows compared  %,.0f rows/s   ", entity, compared,
            compared / Math.max(seconds, 0.001));
        err().flush();
      } catch (DualWriteException e) {
        // progress is best effort
      }
    }
  }

  @Command(name = "dead-letters", description = "Lists, retries or discards an entity's dead letters.")
  static final class DeadLetters extends Subcommand {
    @Parameters(index = "0", description = "list, retry or discard.") String action;
    @Parameters(index = "1", description = "The entity.") String entity;
    @Option(names = "--id", description = "One dead letter (outbox id); all of the entity's when absent (retry).")
    Long id;

    @Override
    public Integer call() {
      var outbox = connection().dualWrite(entity).outbox();
      switch (action) {
        case "list" -> {
          List<DeadLetter> letters = outbox.deadLetters(entity, 1000);
          letters.forEach(l -> out().printf(Locale.ROOT, "#%d %s %s v%d attempts=%d status=%s %s%n", l.id(),
              l.entityId(), l.operation(), l.version(), l.attempts(), l.lastStatus(), l.lastError()));
          out().println(letters.size() + " dead letter(s)");
        }
        case "retry" -> out().println((id == null ? outbox.retryDeadLetters(entity)
            : outbox.retryDeadLetter(id) ? 1 : 0) + " dead letter(s) back in line");
        case "discard" -> {
          if (id == null) {
            throw new CliFailure("discard needs --id: dead letters are discarded one by one, on purpose");
          }
          if (!outbox.discardDeadLetter(id)) {
            throw new CliFailure("no dead letter #" + id);
          }
          out().println("dead letter #" + id + " discarded");
        }
        default -> throw new CliFailure("unknown action '" + action + "'; use list, retry or discard");
      }
      return 0;
    }
  }
}

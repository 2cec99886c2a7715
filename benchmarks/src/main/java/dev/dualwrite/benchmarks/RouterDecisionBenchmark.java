package dev.dualwrite.benchmarks;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Store;
import dev.dualwrite.phase.spi.PhaseStore;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.target.HttpTargetClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code router_decision_ns} (JMH): the read router deciding which store serves a key, without I/O, in
 * {@code NEW_READS} at a 50 % canary, the phase where the decision does the most (phase from the cache, canary hash,
 * this node's undelivered writes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterDecisionBenchmark {
  private DualWrite dualWrite;
  private ReadRouter router;
  private Long[] keys;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    dualWrite = DualWrite.builder()
        .withPhaseStore(PhaseStore.inMemory())
        .withEntity(EntityMigration.builder("users").withCanaryPercent(50).build())
        .build();
    dualWrite.phases().forceMove("users", MigrationPhase.NEW_READS, "benchmark", "decision cost");
    router = ReadRouter.builder(dualWrite, "users")
        .withTargetClient(HttpTargetClient.builder("http://127.0.0.1:9/never-called").build())
        .build();
    keys = new Long[4096];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (long) i * 7919;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    router.close();
    dualWrite.close();
  }

  /** One routing decision. */
  @Benchmark
  public Store decide() {
    return router.storeFor(keys[next++ & (keys.length - 1)]);
  }

  static List<Figure> run(BenchEnvironment env, boolean quick) throws Exception {
    Options options = new OptionsBuilder()
        .include(RouterDecisionBenchmark.class.getName() + ".decide")
        .forks(quick ? 0 : 1)
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.milliseconds(quick ? 100 : 1000))
        .measurementIterations(quick ? 1 : 5)
        .measurementTime(TimeValue.milliseconds(quick ? 100 : 1000))
        .jvmArgs("-Xmx512m")
        .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
        .build();
    RunResult result = new Runner(options).runSingle();
    return List.of(new Figure("router_decision_ns", result.getPrimaryResult().getScore(), "ns"));
  }
}

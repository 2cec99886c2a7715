package dev.dualwrite.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks and prints each figure as {@code <name> <value> <unit>}, one per line.
 *
 * <pre>
 * Benchmarks [--quick] [figure-group ...]     groups: write, capture, lag, drain, router, shadow, backfill, cutover
 *                                              (default: all but capture, whose figures write prints too)
 * </pre>
 *
 * <p>{@code --quick} shrinks every run to a smoke test (the test suite runs it so the harness cannot rot); its
 * figures mean nothing. PostgreSQL is the server at {@code DUALWRITE_BENCH_POSTGRES_URL}, or an in-process one.
 */
public final class Benchmarks {
  /** One group of figures. */
  @FunctionalInterface
  interface Group {
    List<Figure> run(BenchEnvironment env, boolean quick) throws Exception;
  }

  static final Map<String, Group> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("write", WriteOverheadBenchmark::run);
    GROUPS.put("capture", WriteOverheadBenchmark::runCaptureOnly);
    GROUPS.put("lag", CommitLagBenchmark::run);
    GROUPS.put("drain", RelayDrainBenchmark::run);
    GROUPS.put("router", RouterDecisionBenchmark::run);
    GROUPS.put("shadow", ShadowLatencyBenchmark::run);
    GROUPS.put("backfill", BackfillVerifyBenchmark::run);
    GROUPS.put("cutover", CutoverBenchmark::run);
  }

  public static void main(String[] args) throws Exception {
    List<Figure> figures = run(args);
    if (figures.isEmpty()) {
      System.exit(2);
    }
  }

  /** Runs the groups named in {@code args} (all by default) and prints and returns their figures. */
  static List<Figure> run(String... args) throws Exception {
    boolean quick = false;
    List<String> names = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--quick")) {
        quick = true;
      } else if (GROUPS.containsKey(arg)) {
        names.add(arg);
      } else {
        System.err.println("unknown argument '" + arg + "'; use --quick and any of " + GROUPS.keySet());
        return List.of();
      }
    }
    if (names.isEmpty()) {
      names.addAll(GROUPS.keySet());
      names.remove("capture");
    }
    List<Figure> figures = new ArrayList<>();
    try (BenchEnvironment env = BenchEnvironment.start()) {
      System.out.println("# dualwrite benchmarks" + (quick ? " (quick: smoke run, figures mean nothing)" : "")
          + " on " + env.database + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
          + System.getProperty("java.version"));
      System.out.println("# database settings: " + env.durability());
      String experiment = System.getenv(BenchEnvironment.EXPERIMENT_VARIABLE);
      if (experiment != null && !experiment.isBlank()) {
        System.out.println("# experiment, after each reset: " + experiment);
      }
      for (String name : names) {
        for (Figure figure : GROUPS.get(name).run(env, quick)) {
          System.out.println(figure);
          figures.add(figure);
        }
      }
    }
    return figures;
  }

  private Benchmarks() {}
}

package dev.dualwrite.gate;

import dev.dualwrite.gate.spi.PhaseGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gates forward phase moves must pass. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Built-in gates, by the phase moved into</caption>
 *   <tr><th>into</th><th>gate</th><th>passes when</th></tr>
 *   <tr><td>{@code SHADOW_READS}</td><td>{@code backfill-finished}</td><td>a backfill finished that started after the
 *     entity last entered {@code DUAL_WRITE} (so no row changed before mirroring began is missed)</td></tr>
 *   <tr><td></td><td>{@code verification-clean}</td><td>the last verification finished after that backfill and found
 *     at most {@link #maxVerificationDifferences()} missing, extra or different rows</td></tr>
 *   <tr><td>{@code NEW_READS}</td><td>{@code shadow-mismatch-rate}</td><td>since entering {@code SHADOW_READS}, at
 *     least {@link #minShadowComparisons()} comparisons, all nodes together, of which at most
 *     {@link #maxShadowMismatchRate()} mismatched</td></tr>
 *   <tr><td></td><td>{@code outbox-backlog}</td><td>at most {@link #maxBacklog()} undelivered changes</td></tr>
 *   <tr><td>{@code NEW_WRITES}</td><td>{@code canary-complete}</td><td>{@code NEW_READS} serves 100 % of keys</td></tr>
 *   <tr><td></td><td>{@code shadow-mismatch-rate}</td><td>as into {@code NEW_READS}, counted since entering
 *     {@code SHADOW_READS}</td></tr>
 *   <tr><td></td><td>{@code no-dead-letters}, {@code outbox-backlog}</td><td>no dead letters; backlog as above</td></tr>
 *   <tr><td></td><td>{@code change-feed}</td><td>the node that moves reads the new service's change feed of the
 *     entity's resource ({@code GET /v1/_changes/{resource}})</td></tr>
 *   <tr><td>{@code NEW_ONLY}</td><td>{@code soak-time}</td><td>the entity has been in {@code NEW_WRITES} for
 *     {@link #minNewWritesSoak()}</td></tr>
 *   <tr><td></td><td>{@code no-dead-letters}, {@code outbox-empty}</td><td>no dead letters, nothing undelivered</td></tr>
 * </table>
 *
 * <p>Backward moves have no gates. {@code forceMove} with a reason overrides failing gates; the move is then recorded
 * as forced, with the gates it overrode in its reason.
 */
public final class PhaseGates {
  private final boolean builtIn;
  private final long maxVerificationDifferences;
  private final double maxShadowMismatchRate;
  private final long minShadowComparisons;
  private final long maxBacklog;
  private final Duration minNewWritesSoak;
  private final List<PhaseGate> custom;

  PhaseGates(PhaseGatesBuilder builder) {
    this.builtIn = builder.builtIn;
    this.maxVerificationDifferences = builder.maxVerificationDifferences;
    this.maxShadowMismatchRate = builder.maxShadowMismatchRate;
    this.minShadowComparisons = builder.minShadowComparisons;
    this.maxBacklog = builder.maxBacklog;
    this.minNewWritesSoak = builder.minNewWritesSoak;
    this.custom = List.copyOf(new ArrayList<>(builder.custom));
  }

  /** Starts a configuration with the defaults. */
  public static PhaseGatesBuilder builder() {
    return new PhaseGatesBuilder();
  }

  /** The built-in gates with their default thresholds. */
  public static PhaseGates defaults() {
    return builder().build();
  }

  /** Whether the built-in gates apply (they need a data source: their evidence lives in dualwrite's tables). */
  public boolean builtIn() {
    return builtIn;
  }

  /** How many missing, extra or different rows the last verification may have found; default 0. */
  public long maxVerificationDifferences() {
    return maxVerificationDifferences;
  }

  /** The highest share of shadow comparisons, 0 to 1, that may mismatch; default 0.01. */
  public double maxShadowMismatchRate() {
    return maxShadowMismatchRate;
  }

  /** How many shadow comparisons the mismatch rate must rest on; default 100. */
  public long minShadowComparisons() {
    return minShadowComparisons;
  }

  /** How many undelivered changes a move into {@code NEW_READS} or {@code NEW_WRITES} tolerates; default 1000. */
  public long maxBacklog() {
    return maxBacklog;
  }

  /** How long the entity must have been in {@code NEW_WRITES} before {@code NEW_ONLY}; default 1 day. */
  public Duration minNewWritesSoak() {
    return minNewWritesSoak;
  }

  /** Your own gates, checked after the built-in ones. */
  public List<PhaseGate> custom() {
    return custom;
  }
}

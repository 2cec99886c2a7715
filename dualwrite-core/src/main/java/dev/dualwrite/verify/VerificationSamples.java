package dev.dualwrite.verify;

import java.util.List;

/**
 * Up to {@link VerifierConfig#sampleLimit()} examples of each kind of finding, in the order found.
 *
 * @param missing ids legacy holds and the new service lacks
 * @param extra ids the new service holds and legacy lacks
 * @param different entities both hold with different snapshots, with their field-level diffs
 * @param inFlight ids that kept changing or kept undelivered changes through their re-checks
 * @param notRepaired keys a repair run could not bring to legacy's state, each with the reason
 */
public record VerificationSamples(
    List<String> missing,
    List<String> extra,
    List<RowDifference> different,
    List<String> inFlight,
    List<UnrepairedKey> notRepaired) {
  public VerificationSamples {
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
    different = List.copyOf(different);
    inFlight = List.copyOf(inFlight);
    notRepaired = List.copyOf(notRepaired);
  }

  /** No samples. */
  public static VerificationSamples none() {
    return new VerificationSamples(List.of(), List.of(), List.of(), List.of(), List.of());
  }
}

package dev.dualwrite.verify.internal;

import dev.dualwrite.cutover.internal.NodeReverseSync;
import dev.dualwrite.legacy.internal.LegacyTransactions;
import dev.dualwrite.target.HeldVersion;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.spi.TargetClient;
import dev.dualwrite.verify.UnrepairedKey;
import dev.dualwrite.verify.VerifierConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repair of a repair run in {@code NEW_WRITES} and {@code NEW_ONLY}, where the new service is the truth and legacy
 * the copy: each differing key's current state is read from the new service and written into legacy (the row, or its
 * deletion) through the legacy source, one transaction per key, then the keys are settled again. Used by one
 * execution of a run on one thread; not thread-safe.
 */
final class LegacyRepair {
  private static final Logger log = LoggerFactory.getLogger(DefaultVerifier.class);

  private final String entity;
  private final String resource;
  private final LegacyTransactions transactions;
  private final TargetClient target;
  private final NodeReverseSync reverseSync;
  private final SuspectSettling settling;
  private final VerifierConfig config;

  LegacyRepair(String entity, String resource, LegacyTransactions transactions, TargetClient target,
      NodeReverseSync reverseSync, SuspectSettling settling, VerifierConfig config) {
    this.entity = entity;
    this.resource = resource;
    this.transactions = transactions;
    this.target = target;
    this.reverseSync = reverseSync;
    this.settling = settling;
    this.config = config;
  }

  /** Writes the new service's state of each of {@code differences} into legacy and checks the keys again. */
  KeyRepair.Outcome repair(List<Observation> differences) {
    Map<String, Observation> sent = new LinkedHashMap<>();
    List<UnrepairedKey> unrepaired = new ArrayList<>();
    for (Observation difference : differences) {
      String id = difference.id();
      try {
        Optional<HeldVersion> held = target.held(resource, id);
        Optional<TargetDocument> live = held.isPresent() && !held.get().deleted() ? target.get(resource, id)
            : Optional.empty();
        long version = live.map(TargetDocument::version).orElse(held.map(HeldVersion::version).orElse(0L));
        String data = live.map(d -> d.data().toString()).orElse(null);
        transactions.run("repairing legacy's " + entity + " " + id + " from the new service", tx -> {
          reverseSync.repairLegacy(tx, entity, id, version, data);
          return null;
        });
        sent.put(id, difference);
      } catch (RuntimeException e) {
        unrepaired.add(new UnrepairedKey(id, "legacy did not take the new service's state: "
            + NodeReverseSync.refusal(e)
            + "; fix the cause (a constraint, a column), then repair again"));
      }
    }
    if (!sent.isEmpty()) {
      SuspectSettling.Settled settled =
          settling.settleTogether(sent, sent.keySet(), System.nanoTime() + config.settleTimeout().toNanos());
      settled.differences().forEach(d -> unrepaired.add(new UnrepairedKey(d.id(), "legacy took the new service's"
          + " state but still differs from it; compare the row with the service's document, or leave a field legacy"
          + " does not keep out with VerifierBuilder.withIgnoredFields")));
      settled.unsettled().keySet().forEach(id -> unrepaired.add(new UnrepairedKey(id, "it kept changing while it"
          + " was checked again; verify again once its writes calm down")));
    }
    unrepaired.stream().limit(Math.max(1, config.sampleLimit()))
        .forEach(key -> log.warn("repair {}: not repaired: {}", entity, key.describe()));
    return new KeyRepair.Outcome(differences.size(), unrepaired);
  }
}

package dev.dualwrite.phase;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The migration phase of one entity. Each phase answers, in this one place, how writes, the mirror
 * and reads behave; every other part of dualwrite asks the phase rather than deciding for itself.
 *
 * <table>
 *   <caption>What each phase does</caption>
 *   <tr><th>phase</th><th>authoritative writes</th><th>mirror</th><th>reads</th><th>compared</th></tr>
 *   <tr><td>{@link #LEGACY_ONLY}</td><td>legacy</td><td>none</td><td>legacy</td><td>no</td></tr>
 *   <tr><td>{@link #DUAL_WRITE}</td><td>legacy</td><td>legacy to new</td><td>legacy</td><td>no</td></tr>
 *   <tr><td>{@link #SHADOW_READS}</td><td>legacy</td><td>legacy to new</td><td>legacy</td><td>new, sampled</td></tr>
 *   <tr><td>{@link #NEW_READS}</td><td>legacy</td><td>legacy to new</td><td>new for canary keys</td><td>the other store, sampled</td></tr>
 *   <tr><td>{@link #NEW_WRITES}</td><td>new</td><td>new to legacy (reverse sync)</td><td>new</td><td>no</td></tr>
 *   <tr><td>{@link #NEW_ONLY}</td><td>new</td><td>none; legacy writes rejected</td><td>new</td><td>no</td></tr>
 * </table>
 *
 * <p>Phases move one step forward or back; see {@link #checkMove}. This type is immutable and thread-safe.
 */
public enum MigrationPhase {
  /** Nothing is mirrored; the legacy database serves everything. */
  LEGACY_ONLY(Store.LEGACY, Store.LEGACY, false, false, false, false, false),
  /** Legacy stays authoritative; every committed legacy write is mirrored to the new service through the outbox. */
  DUAL_WRITE(Store.LEGACY, Store.LEGACY, false, true, false, false, false),
  /** As {@link #DUAL_WRITE}, and a sample of reads is also run against the new service and compared. */
  SHADOW_READS(Store.LEGACY, Store.LEGACY, true, true, false, false, false),
  /**
   * Legacy stays authoritative for writes; the new service serves reads for a canary share of keys (by key hash),
   * falling back to legacy for keys with undelivered writes or when the new service fails. A sample of reads is
   * compared against the store that did not serve them (legacy for canary keys, the new service for the others).
   */
  NEW_READS(Store.LEGACY, Store.NEW, true, true, false, false, true),
  /** The new service is authoritative and serves reads; its changes are synced back to legacy. */
  NEW_WRITES(Store.NEW, Store.NEW, false, false, true, false, false),
  /** The new service owns the entity; a Hibernate write to it is rejected. */
  NEW_ONLY(Store.NEW, Store.NEW, false, false, false, true, false);

  private static final List<MigrationPhase> ORDER = List.of(values());

  private final Store writeAuthority;
  private final Store readSource;
  private final boolean shadowCompared;
  private final boolean mirrorsLegacyToNew;
  private final boolean reverseSync;
  private final boolean rejectsLegacyWrites;
  private final boolean canaryRouted;

  MigrationPhase(
      Store writeAuthority,
      Store readSource,
      boolean shadowCompared,
      boolean mirrorsLegacyToNew,
      boolean reverseSync,
      boolean rejectsLegacyWrites,
      boolean canaryRouted) {
    this.writeAuthority = writeAuthority;
    this.readSource = readSource;
    this.shadowCompared = shadowCompared;
    this.mirrorsLegacyToNew = mirrorsLegacyToNew;
    this.reverseSync = reverseSync;
    this.rejectsLegacyWrites = rejectsLegacyWrites;
    this.canaryRouted = canaryRouted;
  }

  /** The store whose writes are the truth in this phase. */
  public Store writeAuthority() {
    return writeAuthority;
  }

  /**
   * The store that serves reads in this phase. In {@link #NEW_READS} that is {@link Store#NEW} only for the canary
   * share of keys (see {@link #canaryRouted()}); every other key is served by legacy.
   */
  public Store readSource() {
    return readSource;
  }

  /** Whether reads are compared against the other store in the background (sampled). */
  public boolean shadowCompared() {
    return shadowCompared;
  }

  /** Whether committed legacy writes are mirrored to the new service through the outbox. */
  public boolean mirrorsLegacyToNew() {
    return mirrorsLegacyToNew;
  }

  /**
   * Whether a Hibernate write of the entity is recorded in the outbox: in every phase that mirrors legacy to new, and
   * in {@link #NEW_WRITES}, where a straggling legacy write is still mirrored (and reported) rather than lost.
   */
  public boolean capturesLegacyWrites() {
    return mirrorsLegacyToNew || this == NEW_WRITES;
  }

  /** Whether the new service's changes are synced back to legacy, so legacy joins and a rollback keep working. */
  public boolean reverseSyncs() {
    return reverseSync;
  }

  /** Whether a Hibernate write to the entity is rejected in this phase. */
  public boolean rejectsLegacyWrites() {
    return rejectsLegacyWrites;
  }

  /** Whether reads are split between the stores by key hash and the entity's canary percentage. */
  public boolean canaryRouted() {
    return canaryRouted;
  }

  /** The phase one step forward, or {@code null} from {@link #NEW_ONLY}. */
  public MigrationPhase next() {
    int i = ordinal() + 1;
    return i < ORDER.size() ? ORDER.get(i) : null;
  }

  /** The phase one step back, or {@code null} from {@link #LEGACY_ONLY}. */
  public MigrationPhase previous() {
    int i = ordinal() - 1;
    return i >= 0 ? ORDER.get(i) : null;
  }

  /** The phases reachable from this one without {@code force}: one step forward and one step back. */
  public List<MigrationPhase> allowedMoves() {
    return Arrays.stream(new MigrationPhase[] {previous(), next()})
        .filter(p -> p != null)
        .collect(Collectors.toUnmodifiableList());
  }

  /** Whether {@code target} is one step forward of this phase. */
  public boolean isForwardStepTo(MigrationPhase target) {
    return target.ordinal() == ordinal() + 1;
  }

  /**
   * Checks that an entity may move from this phase to {@code target}.
   *
   * @param entity the entity's name, used in the message only
   * @param target the requested phase, not null
   * @param force whether to allow skipping phases
   * @param reason why; required (not blank) when {@code force} is used
   * @throws PhaseMoveException when the move is not one step and not forced with a reason, or goes nowhere
   */
  public void checkMove(String entity, MigrationPhase target, boolean force, String reason) {
    if (target == null) {
      throw new IllegalArgumentException("target phase is null for entity '" + entity + "'; phases are " + names());
    }
    if (target == this) {
      throw new PhaseMoveException(
          entity, this, target, "entity '" + entity + "' is already in " + this + "; allowed moves: " + allowedMoves());
    }
    if (allowedMoves().contains(target)) {
      return;
    }
    if (!force) {
      throw new PhaseMoveException(
          entity,
          this,
          target,
          "cannot move entity '" + entity + "' from " + this + " to " + target + ": phases move one step at a time;"
              + " allowed moves: " + allowedMoves()
              + ". To skip phases, force the move and give a reason.");
    }
    if (reason == null || reason.isBlank()) {
      throw new PhaseMoveException(
          entity,
          this,
          target,
          "forced move of entity '" + entity + "' from " + this + " to " + target
              + " needs a reason; it is recorded in the phase history.");
    }
  }

  /**
   * Parses a phase name, ignoring case and accepting {@code -} for {@code _} ({@code "new-reads"}).
   *
   * @throws IllegalArgumentException naming the input and listing the phases, when no phase has that name
   */
  public static MigrationPhase parse(String name) {
    if (name != null) {
      String normalised = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
      for (MigrationPhase phase : ORDER) {
        if (phase.name().equals(normalised)) {
          return phase;
        }
      }
    }
    throw new IllegalArgumentException("unknown phase '" + name + "'; phases are " + names());
  }

  private static String names() {
    return ORDER.toString();
  }
}

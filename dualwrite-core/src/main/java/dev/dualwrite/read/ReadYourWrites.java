package dev.dualwrite.read;

/**
 * How {@link dev.dualwrite.phase.MigrationPhase#NEW_READS} keeps a write readable before it has reached the new
 * service: a canary key whose change may still be in the outbox is served by legacy, which always holds it.
 *
 * <p>The cost of each choice, per read of a canary key in {@code NEW_READS}:
 *
 * <table>
 *   <caption>Cost per read</caption>
 *   <tr><th>mode</th><th>cost</th><th>protects writes made on</th></tr>
 *   <tr><td>{@link #OFF}</td><td>nothing</td><td>no node</td></tr>
 *   <tr><td>{@link #THIS_NODE}</td><td>one in-memory lookup, no database query</td><td>this node</td></tr>
 *   <tr><td>{@link #ALL_NODES}</td><td>one in-memory lookup and, unless it already answered, one query of the
 *     outbox</td><td>every node</td></tr>
 * </table>
 */
public enum ReadYourWrites {
  /** No check: canary keys are always read from the new service, which may lag behind a write just committed. */
  OFF,
  /**
   * Keys this node committed a change for and has not yet seen delivered are read from legacy. Costs one lookup in
   * memory and no database query. A write made on another node may be read stale from the new service until it is
   * delivered (usually milliseconds). The default.
   */
  THIS_NODE,
  /**
   * As {@link #THIS_NODE}, and every other canary read asks the outbox whether the key has undelivered changes from
   * any node ({@link dev.dualwrite.outbox.Outbox#hasPending}): one database query per such read. Needs a data source.
   */
  ALL_NODES
}

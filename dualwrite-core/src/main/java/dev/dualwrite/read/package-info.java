/**
 * The read path: {@link dev.dualwrite.read.ReadRouter} serves one entity's reads from the legacy database or the new
 * service according to the entity's phase, compares a sample against the other store in the background, routes a
 * canary share of keys in {@code NEW_READS}, keeps a node's own writes readable until they reach the new service, and
 * falls back to legacy when the new service fails.
 *
 * <p>What users plug in lives here too: {@link dev.dualwrite.read.ResultComparator} and
 * {@link dev.dualwrite.read.IgnoreRule} decide what counts as a mismatch, {@link dev.dualwrite.read.ReadListener}
 * hears comparisons, drops and fallbacks. Implementations are in {@code dev.dualwrite.read.internal}.
 */
package dev.dualwrite.read;

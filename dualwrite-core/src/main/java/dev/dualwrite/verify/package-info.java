/**
 * The verifier: proves that the legacy database and the new service hold the same entities, reports what differs
 * (missing, extra, different, with field-level diffs) and repairs it. {@link dev.dualwrite.verify.Verifier} runs it;
 * {@link dev.dualwrite.verify.VerificationReport} is what it finds, recorded per run in {@code dualwrite_verification}.
 * See docs/backfill-and-verification.md.
 */
package dev.dualwrite.verify;

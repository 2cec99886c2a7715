/**
 * dualwrite's entry point and configuration: {@link dev.dualwrite.DualWrite} and the per-entity
 * {@link dev.dualwrite.EntityMigration}. Everything here is immutable once built and safe to share between threads.
 */
package dev.dualwrite;

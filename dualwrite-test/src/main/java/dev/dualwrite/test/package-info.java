/**
 * One-call assertions for users' tests: {@link dev.dualwrite.test.DualWriteAssertions#assertStoresAgree} proves that
 * the legacy database and the new service agree on an entity.
 */
package dev.dualwrite.test;

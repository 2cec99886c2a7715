/**
 * Reading one entity's rows from the legacy database, for the backfill and the verifier (and
 * {@code DualWriteAssertions.assertStoresAgree}): {@link dev.dualwrite.legacy.LegacySource}. Every application uses
 * one; dualwrite-hibernate gives it for {@code @Mirrored} entities
 * ({@code DualWriteHibernate.legacySource(sessionFactory, "users")}), and an application on plain JDBC implements it,
 * with {@link dev.dualwrite.legacy.LegacyRow}, {@link dev.dualwrite.legacy.LegacyTransaction} and
 * {@link dev.dualwrite.legacy.RowLock}.
 */
package dev.dualwrite.legacy;

/**
 * Extension point for reading one entity's rows from the legacy database, used by the backfill and the verifier:
 * {@link dev.dualwrite.legacy.spi.LegacySource}. dualwrite-hibernate implements it for {@code @Mirrored} entities
 * ({@code DualWriteHibernate.legacySource(sessionFactory, "users")}); implement it yourself for plain JDBC.
 */
package dev.dualwrite.legacy.spi;

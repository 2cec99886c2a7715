package dev.dualwrite.test.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test method once per real database, each time with a {@link TestDatabase} parameter. Every test
 * class gets its own schema (PostgreSQL) or database (MariaDB) per database kind, created at first use and dropped
 * when the class finishes, so classes run in any order and in parallel. Invocations are named after the server they
 * ran on, e.g. {@code [PostgreSQL 15.20]}.
 *
 * <pre>{@code
 * @DatabaseTest
 * void recordsHistory(TestDatabase db) {
 *   PhaseStore store = PhaseStore.jdbc(db.dataSource());
 *   ...
 * }
 * }</pre>
 *
 * <p>Where each server comes from is told by {@link DatabaseKind}. Without a MariaDB server the MariaDB invocations are
 * skipped with a message saying how to enable them; with the environment variable {@code CI=true} a missing or
 * unreachable server fails the test instead.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(DatabaseTestExtension.class)
public @interface DatabaseTest {
  /** The databases to run on; all of them unless narrowed. */
  DatabaseKind[] value() default {DatabaseKind.POSTGRESQL, DatabaseKind.MARIADB};
}

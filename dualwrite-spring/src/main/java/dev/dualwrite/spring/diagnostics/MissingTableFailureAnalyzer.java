package dev.dualwrite.spring.diagnostics;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.jdbc.DualWriteSchema;
import java.sql.SQLException;
import java.util.Set;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that fails because one of dualwrite's tables does not exist into a report naming the table and
 * the three ways to create it: Flyway, Liquibase, or {@code dualwrite.schema.auto-create} for demos and tests. Other
 * database failures (unreachable, no permission) are left to Spring Boot's own report. Registered in
 * {@code META-INF/spring.factories}; stateless and thread-safe.
 */
public final class MissingTableFailureAnalyzer extends AbstractFailureAnalyzer<DualWriteStorageException> {
  /** "undefined table" in PostgreSQL; "base table or view not found" in MariaDB, MySQL and H2. */
  private static final Set<String> MISSING_TABLE_STATES = Set.of("42P01", "42S02", "42S04");

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, DualWriteStorageException cause) {
    SQLException reason = findCause(cause, SQLException.class);
    if (reason == null || !MISSING_TABLE_STATES.contains(reason.getSQLState())) {
      return null;
    }
    String description = "dualwrite's table " + cause.table() + " does not exist in the application's database ("
        + reason.getMessage().strip().replaceAll("\\s+", " ") + "). dualwrite keeps its phases and its outbox there,"
        + " and needs them before the EntityManagerFactory starts.";
    String action = "Create dualwrite's tables in one of three ways:\n"
        + "  1. Flyway: migrate classpath:db/migration/dualwrite/<database> (postgresql, mysql, mariadb or h2)"
        + " with a history table of its own (table dualwrite_schema_history, baseline version 0), before the"
        + " EntityManagerFactory starts.\n"
        + "  2. Liquibase: include " + DualWriteSchema.LIQUIBASE_CHANGELOG + " from your changelog"
        + " (<include file=\"" + DualWriteSchema.LIQUIBASE_CHANGELOG + "\"/>).\n"
        + "  3. In demos and tests only: set dualwrite.schema.auto-create=true.\n"
        + "See \"dualwrite's tables\" in docs/operations.md.";
    return new FailureAnalysis(description, action, cause);
  }
}

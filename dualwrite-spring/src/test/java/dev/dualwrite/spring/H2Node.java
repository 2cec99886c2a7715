package dev.dualwrite.spring;

import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.outbox.Change;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.ChangeOrigin;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A dualwrite node over a fresh in-memory H2 database, with entities {@code users} (canary 5 %) and {@code orders}
 * (resource {@code purchase-orders}) and no target: for tests of the endpoint and the meters that need no server.
 */
public final class H2Node implements AutoCloseable {
  private final JdbcDataSource dataSource = new JdbcDataSource();
  private final DualWrite dualWrite;

  /** Starts one. */
  public H2Node() {
    dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    dualWrite = DualWrite.builder()
        .withDataSource(dataSource)
        .withSchemaAutoCreate(true)
        .withEntity(EntityMigration.builder("users").withCanaryPercent(5).build())
        .withEntity(EntityMigration.builder("orders").withResource("purchase-orders").build())
        .build();
  }

  /** The node. */
  public DualWrite dualWrite() {
    return dualWrite;
  }

  /** Commits an upsert of {@code entity} {@code id} to the outbox, as a Hibernate write would. */
  public void commitUpsert(String entity, String id) throws SQLException {
    List<Change> changes = List.of(new Change(entity, dualWrite.entity(entity).resource(), id,
        ChangeOperation.UPSERT, 1L, "{\"id\": \"" + id + "\"}", ChangeOrigin.LIVE));
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      ChangeCapture.of(dualWrite).append(connection, changes);
      connection.commit();
    }
    ChangeCapture.of(dualWrite).committed(changes);
  }

  @Override
  public void close() {
    dualWrite.close();
  }
}

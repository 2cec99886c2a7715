package dev.dualwrite.storage.internal;

import dev.dualwrite.DualWriteStorageException;
import dev.dualwrite.jdbc.internal.Jdbc;
import dev.dualwrite.outbox.DeliveryPause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The table {@code dualwrite_delivery_pause}: one row per entity whose delivery is paused. Reports a database failure
 * as {@link DualWriteStorageException}. Thread-safe.
 */
public final class DeliveryPauseTable {
  private static final String TABLE = "dualwrite_delivery_pause";
  private static final String LIST = "SELECT entity, paused_by, reason, paused_at FROM dualwrite_delivery_pause"
      + " ORDER BY entity";
  private static final String INSERT = "INSERT INTO dualwrite_delivery_pause (entity, paused_by, reason, paused_at)"
      + " VALUES (?, ?, ?, ?)";
  private static final String DELETE = "DELETE FROM dualwrite_delivery_pause WHERE entity = ?";

  private final DataSource dataSource;
  private final Clock clock;

  public DeliveryPauseTable(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Pauses {@code entity}; whether it was not paused already (a pause already there is kept as it is). */
  public boolean pause(String entity, String actor, String reason) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      if (paused(connection).stream().anyMatch(p -> p.entity().equals(entity))) {
        return false;
      }
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        insert.setString(1, entity);
        insert.setString(2, actor);
        insert.setString(3, reason);
        Jdbc.setInstant(insert, 4, clock.instant());
        insert.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (paused(connection).stream().anyMatch(p -> p.entity().equals(entity))) {
          return false; // another node paused it at the same moment
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, "pause the delivery of " + entity, e);
    }
  }

  /** Resumes {@code entity}; whether it was paused. */
  public boolean resume(String entity) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(DELETE)) {
      connection.setAutoCommit(true);
      delete.setString(1, entity);
      return delete.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, "resume the delivery of " + entity, e);
    }
  }

  /** Every paused entity, by name. */
  public List<DeliveryPause> paused() {
    try (Connection connection = dataSource.getConnection()) {
      return paused(connection);
    } catch (SQLException e) {
      throw new DualWriteStorageException(TABLE, "read the paused deliveries", e);
    }
  }

  private static List<DeliveryPause> paused(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LIST);
        ResultSet rs = statement.executeQuery()) {
      List<DeliveryPause> pauses = new ArrayList<>();
      while (rs.next()) {
        Instant at = Jdbc.getInstant(rs, "paused_at");
        pauses.add(new DeliveryPause(rs.getString(1), rs.getString(2), rs.getString(3), at));
      }
      return pauses;
    }
  }
}

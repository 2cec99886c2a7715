package dev.dualwrite.hibernate.internal;

import dev.dualwrite.hibernate.internal.json.SnapshotJson;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.type.SqlTypes;

/**
 * Puts property values in the form the database keeps them, then in their wire form, before Jackson writes them. A
 * live write snapshots the entity's values in memory, a backfill or the verifier the values read back from the
 * database; both go through here, so the same committed row gives the same JSON, byte for byte.
 *
 * <ul>
 *   <li>Dates and times become ISO-8601 strings, with the fractional seconds the column keeps: the mapping's
 *       precision ({@code @FractionalSeconds}, {@code @Column(precision)}), else the dialect's default for timestamps
 *       (6 on PostgreSQL and MariaDB) and whole seconds for times. They are rounded or truncated as the database and
 *       its driver do: a time is sent with milliseconds rounded half up, a timestamp with microseconds (rounded half
 *       up by PostgreSQL's driver, truncated by MariaDB's); then PostgreSQL rounds half up to the column's precision
 *       and MariaDB/MySQL truncate. Offset and zoned date-times become the same instant at UTC, as PostgreSQL and MariaDB
 *       keep only the instant.
 *   <li>A {@code BigDecimal} takes the column's scale when the mapping has one, rounding half up, as both databases
 *       do.
 *   <li>A {@code float} in a MariaDB/MySQL {@code FLOAT} column keeps 6 significant digits, what the server returns.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class Snapshots {
  private static final int NANOS_PER_SECOND = 1_000_000_000;
  private static final MathContext FLOAT_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

  private Snapshots() {}

  /** One property's conversion to the form its column keeps and then to its wire form. */
  @FunctionalInterface
  interface ValueForm {
    Object of(Object value);
  }

  /** The conversion for values of {@code column} on {@code dialect}'s database. */
  static ValueForm forColumn(SelectableMapping column, Dialect dialect) {
    int type = column.getJdbcMapping().getJdbcType().getDefaultSqlTypeCode();
    boolean mysql = dialect instanceof MySQLDialect;
    if (SqlTypes.hasTimePart(type)) {
      boolean time = !SqlTypes.hasDatePart(type);
      Integer declared = column.getTemporalPrecision();
      int digits = Math.max(0, Math.min(9, declared != null ? declared : time ? 0 : dialect.getDefaultTimestampPrecision()));
      // a time reaches the driver with milliseconds, rounded half up; a timestamp with microseconds, rounded half up
      // (PostgreSQL's driver) or truncated (MariaDB's)
      FractionalSeconds fraction = time
          ? new FractionalSeconds(3, true, digits, dialect.doesRoundTemporalOnOverflow())
          : new FractionalSeconds(6, !mysql, digits, dialect.doesRoundTemporalOnOverflow());
      return value -> normalise(fraction.apply(value));
    }
    if ((type == SqlTypes.NUMERIC || type == SqlTypes.DECIMAL) && column.getScale() != null) {
      int scale = column.getScale();
      return value -> value instanceof BigDecimal decimal ? decimal.setScale(scale, RoundingMode.HALF_UP) : value;
    }
    if (mysql && (type == SqlTypes.FLOAT || type == SqlTypes.REAL)) {
      return value -> value instanceof Float f && Float.isFinite(f)
          ? new BigDecimal(f).round(FLOAT_DIGITS).floatValue() : value;
    }
    return Snapshots::normalise;
  }

  /**
   * The wire form of a value whose column is not known (ids) or needs nothing more: dates and times become ISO-8601
   * strings, offset and zoned date-times at UTC.
   */
  static Object normalise(Object value) {
    if (value instanceof OffsetDateTime odt) {
      return odt.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
    if (value instanceof ZonedDateTime zdt) {
      return zdt.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
    if (value instanceof TemporalAccessor) {
      return value.toString();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof java.sql.Time time) {
      return time.toLocalTime().toString();
    }
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    return value;
  }

  /**
   * The inverse of {@link #normalise}: a value as the wire carries it (a string, number, boolean, list or map, as read
   * from JSON) as a value of {@code type}. Dates and times are parsed from their ISO-8601 form (offset and zoned
   * date-times at UTC); everything else is converted by the application's mapper, which wrote it.
   */
  static Object fromWire(Object wire, Class<?> type, SnapshotJson json) {
    if (wire == null || type == null) {
      return wire;
    }
    if (wire instanceof String text) {
      if (type == LocalDateTime.class) {
        return LocalDateTime.parse(text);
      }
      if (type == LocalDate.class) {
        return LocalDate.parse(text);
      }
      if (type == LocalTime.class) {
        return LocalTime.parse(text);
      }
      if (type == Instant.class) {
        return Instant.parse(text);
      }
      if (type == OffsetDateTime.class) {
        return OffsetDateTime.parse(text);
      }
      if (type == ZonedDateTime.class) {
        return ZonedDateTime.parse(text);
      }
      if (type == OffsetTime.class) {
        return OffsetTime.parse(text);
      }
      if (type == java.sql.Date.class) {
        return java.sql.Date.valueOf(LocalDate.parse(text));
      }
      if (type == java.sql.Time.class) {
        return java.sql.Time.valueOf(LocalTime.parse(text));
      }
      if (type == Timestamp.class) {
        return Timestamp.from(Instant.parse(text));
      }
      if (type == Date.class) {
        return Date.from(Instant.parse(text));
      }
    }
    return json.convert(wire, type);
  }

  /**
   * Fractional seconds as a column with {@code digits} of them keeps a value set with nanoseconds: first to
   * {@code sentDigits} (the driver; rounded half up or truncated), then to {@code digits} (the server, likewise).
   */
  private record FractionalSeconds(int sentDigits, boolean driverRounds, int digits, boolean serverRounds) {
    Object apply(Object value) {
      if (value instanceof Timestamp timestamp) {
        return apply(timestamp.toInstant());
      }
      if (value instanceof Date date && !(value instanceof java.sql.Date) && !(value instanceof java.sql.Time)) {
        return apply(date.toInstant());
      }
      if (value instanceof Instant || value instanceof LocalDateTime || value instanceof LocalTime
          || value instanceof OffsetDateTime || value instanceof ZonedDateTime || value instanceof OffsetTime) {
        Temporal temporal = (Temporal) value;
        Temporal sent = round(temporal, sentDigits, driverRounds);
        return round(sent, digits, serverRounds);
      }
      return value;
    }

    private static Temporal round(Temporal value, int digits, boolean halfUp) {
      if (digits >= 9) {
        return value;
      }
      long unit = (long) Math.pow(10, 9 - digits);
      long nanos = value.get(ChronoField.NANO_OF_SECOND);
      long kept = halfUp ? (nanos + unit / 2) / unit * unit : nanos / unit * unit;
      if (kept >= NANOS_PER_SECOND) {
        return value.with(ChronoField.NANO_OF_SECOND, 0).plus(1, ChronoUnit.SECONDS);
      }
      return value.with(ChronoField.NANO_OF_SECOND, kept);
    }
  }
}

package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import org.hibernate.annotations.FractionalSeconds;

/**
 * Mirrored, with the values real entities hold more precisely in Java than their columns do: times set from
 * {@code now()} (nanoseconds), a column declared with milliseconds, money with a fixed scale, floating point numbers.
 * No {@code @Version}; camelCase fields.
 */
@Entity
@Table(name = "app_shipments")
@Mirrored("shipments")
public class Shipment {
  @Id private Long id;
  private LocalDateTime createdAt;
  private Instant updatedAt;
  private OffsetDateTime scheduledFor;
  private LocalTime cutOff;
  @FractionalSeconds(3) private LocalDateTime pickedUpAt;
  @Column(precision = 10, scale = 2) private BigDecimal amount;
  private float weight;
  private double volume;

  protected Shipment() {}

  public Shipment(long id) {
    this.id = id;
  }

  public Long getId() {
    return id;
  }

  /** Sets every time from {@code now}, every number from {@code seed}. */
  public Shipment stamp(Instant now, double seed) {
    createdAt = LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC);
    updatedAt = now;
    scheduledFor = OffsetDateTime.ofInstant(now, java.time.ZoneId.of("Europe/Paris"));
    cutOff = createdAt.toLocalTime();
    pickedUpAt = createdAt;
    amount = BigDecimal.valueOf(seed);
    weight = (float) (seed / 3);
    volume = seed / 7;
    return this;
  }
}

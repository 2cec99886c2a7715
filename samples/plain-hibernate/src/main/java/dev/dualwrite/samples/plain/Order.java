package dev.dualwrite.samples.plain;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** An order: it stays in the monolith (not mirrored) and refers to a user. */
@Entity
@Table(name = "orders")
public class Order {
  @Id private Long id;
  @ManyToOne(fetch = FetchType.LAZY) private User user;
  private long cents;

  protected Order() {}

  public Order(long id, User user, long cents) {
    this.id = id;
    this.user = user;
    this.cents = cents;
  }
}

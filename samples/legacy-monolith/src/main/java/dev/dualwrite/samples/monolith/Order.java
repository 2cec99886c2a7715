package dev.dualwrite.samples.monolith;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** An order: it stays in the monolith (not mirrored) and refers to the user who placed it. */
@Entity
@Table(name = "orders")
public class Order {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Version private long version;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "user_id")
  private User user;

  private String item;
  private long amountCents;

  protected Order() {}

  public Order(User user, String item, long amountCents) {
    this.user = user;
    this.item = item;
    this.amountCents = amountCents;
  }

  public Long getId() {
    return id;
  }

  public User getUser() {
    return user;
  }

  public String getItem() {
    return item;
  }

  public long getAmountCents() {
    return amountCents;
  }

  public void change(String item, long amountCents) {
    this.item = item;
    this.amountCents = amountCents;
  }
}

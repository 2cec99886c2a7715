package dev.dualwrite.spring.app;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The test monolith's mirrored entity: nothing but {@code @Mirrored} connects it to dualwrite. */
@Entity
@Table(name = "app_customers")
@Mirrored("customers")
public class Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Version private long version;
  private String name;
  private String email;

  @Enumerated(EnumType.STRING)
  private Tier tier;

  protected Customer() {}

  public Customer(String name, String email, Tier tier) {
    this.name = name;
    this.email = email;
    this.tier = tier;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}

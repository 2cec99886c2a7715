package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.MirrorIgnore;
import dev.dualwrite.hibernate.MirrorName;
import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.LocalDate;

@Entity
@Table(name = "app_users")
@Mirrored("users")
public class User {
  @Id private Long id;
  @Version private long version;
  private String email;
  private String name;
  @MirrorIgnore private String passwordHash;
  @MirrorName("born") private LocalDate birthday;
  @ManyToOne(fetch = FetchType.LAZY) private Team team;

  protected User() {}

  public User(long id, String email, String name) {
    this.id = id;
    this.email = email;
    this.name = name;
  }

  public Long getId() {
    return id;
  }

  public long getVersion() {
    return version;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public void setPasswordHash(String passwordHash) {
    this.passwordHash = passwordHash;
  }

  public void setBirthday(LocalDate birthday) {
    this.birthday = birthday;
  }

  public void setTeam(Team team) {
    this.team = team;
  }
}

package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** Mirrored with a natural text id and a @Version, which starts again at 0 when the id is deleted and created again. */
@Entity
@Table(name = "app_logins")
@Mirrored("logins")
public class Login {
  @Id private String username;
  @Version private long version;
  private String displayName;

  protected Login() {}

  public Login(String username, String displayName) {
    this.username = username;
    this.displayName = displayName;
  }

  public String getUsername() {
    return username;
  }

  public long getVersion() {
    return version;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }
}

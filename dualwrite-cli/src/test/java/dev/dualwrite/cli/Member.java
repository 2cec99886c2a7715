package dev.dualwrite.cli;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The monolith's entity the CLI tests migrate. */
@Entity
@Table(name = "cli_members")
@Mirrored("members")
public class Member {
  @Id private Long id;
  @Version private long version;
  private String name;

  protected Member() {}
}

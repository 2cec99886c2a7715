package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Mirrored without a @Version: dualwrite assigns the versions. */
@Entity
@Table(name = "app_notes")
@Mirrored("notes")
public class Note {
  @Id private Long id;
  private String text;

  protected Note() {}

  public Note(long id, String text) {
    this.id = id;
    this.text = text;
  }

  public Long getId() {
    return id;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }
}

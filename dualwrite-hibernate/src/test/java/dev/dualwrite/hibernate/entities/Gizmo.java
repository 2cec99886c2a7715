package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Mirrored, with a property Jackson cannot write: a session factory with it fails to start. */
@Entity
@Table(name = "app_gizmos")
@Mirrored("gizmos")
public class Gizmo {
  @Id private Long id;

  @Convert(converter = SealedConverter.class)
  private Sealed sealed;

  protected Gizmo() {}

  /** A value with no properties Jackson can see. */
  public static final class Sealed {
    private final String code;

    public Sealed(String code) {
      this.code = code;
    }

    @Override
    public String toString() {
      return code;
    }
  }

  /** Stores a sealed value as its code. */
  public static final class SealedConverter implements AttributeConverter<Sealed, String> {
    @Override
    public String convertToDatabaseColumn(Sealed sealed) {
      return sealed == null ? null : sealed.toString();
    }

    @Override
    public Sealed convertToEntityAttribute(String code) {
      return code == null ? null : new Sealed(code);
    }
  }
}

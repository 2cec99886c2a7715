package dev.dualwrite.hibernate.entities;

import dev.dualwrite.hibernate.Mirrored;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Mirrored, with a converted property; its relay gives up after a few attempts. */
@Entity
@Table(name = "app_gadgets")
@Mirrored("gadgets")
public class Gadget {
  @Id private Long id;

  @Convert(converter = WidgetConverter.class)
  private Widget widget;

  protected Gadget() {}

  public Gadget(long id, Widget widget) {
    this.id = id;
    this.widget = widget;
  }

  /** A value stored as its code. */
  public static final class Widget {
    private final String code;

    public Widget(String code) {
      this.code = code;
    }

    public String getCode() {
      return code;
    }

    @Override
    public String toString() {
      return code;
    }
  }

  /** Stores a widget as its code. */
  public static final class WidgetConverter implements AttributeConverter<Widget, String> {
    @Override
    public String convertToDatabaseColumn(Widget widget) {
      return widget == null ? null : widget.toString();
    }

    @Override
    public Widget convertToEntityAttribute(String code) {
      return code == null ? null : new Widget(code);
    }
  }
}

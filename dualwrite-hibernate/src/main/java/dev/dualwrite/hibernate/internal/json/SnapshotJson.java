package dev.dualwrite.hibernate.internal.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.hibernate.DualWriteSettings;
import java.util.Map;

/**
 * Writes entity snapshots as JSON with the application's mapper, on either Jackson line: {@link Jackson2Json} over a
 * Jackson 2 {@code ObjectMapper}, {@link Jackson3Json} over a Jackson 3 {@code ObjectMapper} (such as a
 * {@code JsonMapper}). The live write path and the legacy source of a session factory share one, so their snapshots
 * are byte for byte the same. Thread-safe.
 */
public sealed interface SnapshotJson permits Jackson2Json, Jackson3Json {
  /** The Jackson 3 mapper's base class, named so that Jackson 3 is only loaded when the application has it. */
  String JACKSON_3_MAPPER = "tools.jackson.databind.ObjectMapper";

  /**
   * The snapshot as JSON.
   *
   * @throws UnwritableField when a value cannot be written
   */
  String write(Map<String, Object> snapshot) throws UnwritableField;

  /**
   * The fields of a snapshot the new service holds, as the mapper reads JSON into plain values (strings, numbers,
   * booleans, lists and maps): the reverse sync's way back from the wire form.
   *
   * @throws RuntimeException when {@code snapshot} is not a JSON object
   */
  Map<String, Object> read(String snapshot);

  /** {@code wireValue} (a plain value from {@link #read}) as a value of {@code type}, as the mapper converts it. */
  Object convert(Object wireValue, Class<?> type);

  /** Why a value of {@code type} can never be written (Jackson has no serializer for it), or null when it can. */
  String problemWriting(Class<?> type);

  /**
   * The writer for the mapper under {@link DualWriteSettings#OBJECT_MAPPER} in {@code settings}: a plain Jackson 2
   * one when there is none.
   *
   * @throws DualWriteException naming the setting when it holds something that is not a Jackson mapper
   */
  static SnapshotJson of(Map<String, Object> settings) {
    Object mapper = settings.get(DualWriteSettings.OBJECT_MAPPER);
    if (mapper == null) {
      return new Jackson2Json(new ObjectMapper());
    }
    if (mapper instanceof ObjectMapper jackson2) {
      return new Jackson2Json(jackson2);
    }
    for (Class<?> c = mapper.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(JACKSON_3_MAPPER)) {
        return new Jackson3Json(mapper);
      }
    }
    throw new DualWriteException("setting " + DualWriteSettings.OBJECT_MAPPER + " holds a " + mapper.getClass().getName()
        + "; dualwrite writes snapshots with a Jackson 2 com.fasterxml.jackson.databind.ObjectMapper or a Jackson 3 "
        + JACKSON_3_MAPPER + " (such as JsonMapper). Give it one of those, or leave the setting out for a plain one.");
  }

  /** A snapshot value the mapper cannot write: the snapshot's {@code field} and Jackson's {@code reason}. */
  final class UnwritableField extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    UnwritableField(String field, String reason, Throwable cause) {
      super(reason, cause);
      this.field = field;
    }

    /** The snapshot field whose value could not be written, or {@code ?} when Jackson did not say. */
    public String field() {
      return field;
    }
  }
}

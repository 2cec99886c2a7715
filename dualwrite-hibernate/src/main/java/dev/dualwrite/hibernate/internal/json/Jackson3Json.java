package dev.dualwrite.hibernate.internal.json;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.ser.impl.UnknownSerializer;

/** Snapshots through a Jackson 3 {@link ObjectMapper}, such as the {@code JsonMapper} Spring Boot 4 configures. */
final class Jackson3Json implements SnapshotJson {
  private final ObjectMapper mapper;

  /** @param mapper a Jackson 3 {@link ObjectMapper} */
  Jackson3Json(Object mapper) {
    this.mapper = (ObjectMapper) mapper;
  }

  @Override
  public String write(Map<String, Object> snapshot) throws UnwritableField {
    try {
      return mapper.writeValueAsString(snapshot);
    } catch (JacksonException e) {
      throw new UnwritableField(e.getPath().isEmpty() ? "?" : e.getPath().get(0).getPropertyName(),
          e.getOriginalMessage(), e);
    }
  }

  @Override
  public String problemWriting(Class<?> type) {
    try {
      ValueSerializer<Object> serializer = mapper._serializationContext().findValueSerializer(type);
      return serializer instanceof UnknownSerializer && mapper.isEnabled(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          ? "Jackson finds no properties to write in " + type.getName() : null;
    } catch (JacksonException e) {
      return e.getOriginalMessage();
    }
  }

  @Override
  public Map<String, Object> read(String snapshot) {
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = mapper.readValue(snapshot, Map.class);
    return fields;
  }

  @Override
  public Object convert(Object wireValue, Class<?> type) {
    return mapper.convertValue(wireValue, type);
  }

  @Override
  public String toString() {
    return "Jackson 3 " + mapper.getClass().getSimpleName();
  }
}

package dev.dualwrite.hibernate.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ser.impl.UnknownSerializer;
import java.util.Map;

/** Snapshots through a Jackson 2 {@link ObjectMapper}. */
final class Jackson2Json implements SnapshotJson {
  private final ObjectMapper mapper;

  Jackson2Json(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public String write(Map<String, Object> snapshot) throws UnwritableField {
    try {
      return mapper.writeValueAsString(snapshot);
    } catch (JsonMappingException e) {
      throw new UnwritableField(e.getPath().isEmpty() ? "?" : e.getPath().get(0).getFieldName(),
          e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new UnwritableField("?", e.getOriginalMessage(), e);
    }
  }

  @Override
  public String problemWriting(Class<?> type) {
    try {
      JsonSerializer<Object> serializer = mapper.getSerializerProviderInstance().findValueSerializer(type);
      return serializer instanceof UnknownSerializer && mapper.isEnabled(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          ? "Jackson finds no properties to write in " + type.getName() : null;
    } catch (JsonMappingException e) {
      return e.getOriginalMessage();
    }
  }

  @Override
  public Map<String, Object> read(String snapshot) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = mapper.readValue(snapshot, Map.class);
      return fields;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public Object convert(Object wireValue, Class<?> type) {
    return mapper.convertValue(wireValue, type);
  }

  @Override
  public String toString() {
    return "Jackson 2 " + mapper.getClass().getSimpleName();
  }
}

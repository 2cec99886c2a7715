package dev.dualwrite.hibernate.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dualwrite.DualWriteException;
import dev.dualwrite.hibernate.DualWriteSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/** Snapshots are written by the mapper under dualwrite.object_mapper, on either Jackson line. */
class SnapshotJsonTest {
  enum Tier { GOLD }

  /** A value with no properties: neither line can write it. */
  static final class Opaque {}

  private static Map<String, Object> snapshot() {
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("id", 7L);
    snapshot.put("tier", Tier.GOLD);
    return snapshot;
  }

  @Test
  void aJackson3JsonMappersSettingsShapeTheSnapshot() throws Exception {
    JsonMapper mapper = JsonMapper.builder().enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE).build();
    SnapshotJson json = SnapshotJson.of(Map.of(DualWriteSettings.OBJECT_MAPPER, mapper));
    assertThat(json).hasToString("Jackson 3 JsonMapper");
    assertThat(json.write(snapshot())).isEqualTo("{\"id\":7,\"tier\":\"gold\"}");
  }

  @Test
  void aJackson2ObjectMappersSettingsShapeTheSnapshot() throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.WRITE_ENUMS_USING_INDEX);
    SnapshotJson json = SnapshotJson.of(Map.of(DualWriteSettings.OBJECT_MAPPER, mapper));
    assertThat(json).hasToString("Jackson 2 ObjectMapper");
    assertThat(json.write(snapshot())).isEqualTo("{\"id\":7,\"tier\":0}");
  }

  @Test
  void withoutAMapperAPlainJackson2OneWritesIt() throws Exception {
    assertThat(SnapshotJson.of(Map.of()).write(snapshot())).isEqualTo("{\"id\":7,\"tier\":\"GOLD\"}");
  }

  @Test
  void aTypeWithNothingToWriteIsTroubleWhereTheMapperFailsOnEmptyBeans() {
    Map<String, Object> failing = Map.of(DualWriteSettings.OBJECT_MAPPER,
        JsonMapper.builder().enable(tools.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS).build());
    assertThat(SnapshotJson.of(failing).problemWriting(Opaque.class)).contains("no properties to write");
    assertThat(SnapshotJson.of(Map.of()).problemWriting(Opaque.class)).as("Jackson 2's default fails on them")
        .contains("no properties to write");
    assertThat(SnapshotJson.of(Map.of(DualWriteSettings.OBJECT_MAPPER, JsonMapper.builder().build()))
        .problemWriting(Opaque.class)).as("Jackson 3's default writes {}").isNull();
    assertThat(SnapshotJson.of(failing).problemWriting(String.class)).isNull();
  }

  @Test
  void somethingElseUnderTheSettingIsRefusedNamingIt() {
    assertThatThrownBy(() -> SnapshotJson.of(Map.of(DualWriteSettings.OBJECT_MAPPER, "a mapper")))
        .isInstanceOf(DualWriteException.class)
        .hasMessageStartingWith("setting dualwrite.object_mapper holds a java.lang.String; dualwrite writes snapshots"
            + " with a Jackson 2 com.fasterxml.jackson.databind.ObjectMapper or a Jackson 3");
  }
}

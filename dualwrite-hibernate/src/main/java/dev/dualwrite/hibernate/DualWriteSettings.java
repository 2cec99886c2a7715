package dev.dualwrite.hibernate;

/**
 * The Hibernate settings dualwrite reads, each with its default. {@link DualWriteHibernate#configure} sets the ones it
 * needs for you.
 */
public interface DualWriteSettings {

  /**
   * Whether dualwrite integrates with this session factory at all. Default {@code true}. With {@code false} nothing is
   * mirrored, even for {@link Mirrored} entities.
   */
  String ENABLED = "dualwrite.enabled";

  /**
   * The {@link dev.dualwrite.DualWrite} instance to mirror through (an object, not a string). Required when any entity
   * is {@link Mirrored} and dualwrite is enabled; startup fails without it.
   */
  String INSTANCE = "dualwrite.instance";

  /**
   * The mapper (an object) that writes entity snapshots: a Jackson 2 {@code com.fasterxml.jackson.databind.ObjectMapper}
   * or a Jackson 3 {@code tools.jackson.databind.ObjectMapper}, such as a {@code JsonMapper}. Default: a plain Jackson 2
   * {@code ObjectMapper}. Anything else fails startup with a message naming this setting.
   * dualwrite writes {@code java.time} values as ISO-8601 strings itself, so no Jackson module is needed for them.
   */
  String OBJECT_MAPPER = "dualwrite.object_mapper";

  /** {@link BulkWritePolicy} for bulk writes to mirrored tables: {@code reject} (default) or {@code warn}. */
  String BULK_WRITES = "dualwrite.bulk_writes";
}

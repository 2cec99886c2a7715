package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.hibernate.DualWriteSettings;
import dev.dualwrite.hibernate.MirrorIgnore;
import dev.dualwrite.hibernate.MirrorName;
import dev.dualwrite.hibernate.internal.json.SnapshotJson;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.proxy.LazyInitializer;
import org.hibernate.type.EntityType;
import org.hibernate.type.Type;

/**
 * One {@link dev.dualwrite.hibernate.Mirrored} entity: its migration configuration and how its Hibernate state becomes
 * a JSON snapshot. Built once per session factory; thread-safe.
 */
final class MirroredEntity {
  private enum Kind { SKIP, BASIC, ASSOCIATION }

  private final String hibernateName;
  private final EntityMigration migration;
  private final String idName;
  private final String[] jsonNames;
  private final Kind[] kinds;
  private final String[] associatedEntities;
  private final Snapshots.ValueForm[] forms;
  private final Class<?>[] javaTypes;
  private final SnapshotJson json;

  MirroredEntity(EntityPersister persister, EntityMigration migration, SnapshotJson json) {
    this.hibernateName = persister.getEntityName();
    this.migration = migration;
    this.json = json;
    Class<?> type = persister.getMappedClass();
    String id = persister.getIdentifierPropertyName();
    AnnotatedElement idElement = member(type, id);
    this.idName = renamed(idElement, id);
    String[] names = persister.getPropertyNames();
    Type[] types = persister.getPropertyTypes();
    this.jsonNames = new String[names.length];
    this.kinds = new Kind[names.length];
    this.associatedEntities = new String[names.length];
    this.forms = new Snapshots.ValueForm[names.length];
    this.javaTypes = new Class<?>[names.length];
    Dialect dialect = persister.getFactory().getJdbcServices().getDialect();
    for (int i = 0; i < names.length; i++) {
      javaTypes[i] = types[i].getReturnedClass();
      forms[i] = persister.findAttributeMapping(names[i]) instanceof SelectableMapping column
          ? Snapshots.forColumn(column, dialect) : Snapshots::normalise;
      AnnotatedElement member = member(type, names[i]);
      jsonNames[i] = renamed(member, names[i]);
      if (member != null && member.isAnnotationPresent(MirrorIgnore.class) || types[i].isCollectionType()) {
        kinds[i] = Kind.SKIP;
      } else if (types[i].isEntityType()) {
        kinds[i] = Kind.ASSOCIATION;
        associatedEntities[i] = ((EntityType) types[i]).getAssociatedEntityName();
      } else {
        kinds[i] = Kind.BASIC;
      }
    }
  }

  String hibernateName() {
    return hibernateName;
  }

  EntityMigration migration() {
    return migration;
  }

  /** The mapper its snapshots are written and read with. */
  SnapshotJson json() {
    return json;
  }

  /** The id as it travels: its string form. */
  static String idString(Object id) {
    return String.valueOf(id);
  }

  /**
   * The JSON snapshot of an entity with {@code id} in {@code state}.
   *
   * @throws DualWriteException naming the entity, id and field when a value cannot be written as JSON
   */
  String snapshot(Object id, Object[] state, SharedSessionContractImplementor session) {
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put(idName, Snapshots.normalise(id));
    for (int i = 0; i < state.length; i++) {
      switch (kinds[i]) {
        case SKIP -> { }
        case BASIC -> snapshot.put(jsonNames[i], state[i] == null ? null : forms[i].of(state[i]));
        case ASSOCIATION -> snapshot.put(jsonNames[i], Snapshots.normalise(associatedId(i, state[i], session)));
      }
    }
    try {
      return json.write(snapshot);
    } catch (SnapshotJson.UnwritableField e) {
      throw new DualWriteException("cannot mirror " + migration.name() + " " + id + " (entity " + hibernateName
          + "): field '" + e.field() + "' cannot be written as JSON: " + e.getMessage()
          + ". Leave it out with @MirrorIgnore, or give dualwrite an ObjectMapper that can write it"
          + " (setting " + DualWriteSettings.OBJECT_MAPPER + "). Nothing of this transaction was mirrored.", e);
    }
  }

  /**
   * Fails when the snapshot of a property could never be written: Jackson has no serializer for its type (a class
   * with no properties, say). Checked once, when the session factory starts, so that the failure is not met by every
   * transaction that writes the entity.
   *
   * @throws DualWriteException naming the entity, the field, its type and what to do
   */
  void checkSnapshotsCanBeWritten() {
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] != Kind.BASIC || javaTypes[i] == null) {
        continue;
      }
      String problem = json.problemWriting(javaTypes[i]);
      if (problem != null) {
        throw new DualWriteException("cannot mirror " + migration.name() + " (entity " + hibernateName + "): field '"
            + jsonNames[i] + "' of type " + javaTypes[i].getName() + " cannot be written as JSON: " + problem
            + ". Leave it out with @MirrorIgnore, or give dualwrite an ObjectMapper that can write it (setting "
            + DualWriteSettings.OBJECT_MAPPER + ").");
      }
    }
  }

  /**
   * The inverse of {@link #snapshot}: the value of each property {@code snapshot} carries, by property index, as the
   * entity holds it (a to-one association as a reference to the associated entity). Properties the snapshot does not
   * carry, and those it never carries (ignored, collections), are left out.
   *
   * @throws IllegalArgumentException naming the field when a value cannot be read back
   */
  Map<Integer, Object> values(String snapshot, SessionImplementor session) {
    Map<String, Object> fields = json.read(snapshot);
    Map<Integer, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == Kind.SKIP || !fields.containsKey(jsonNames[i])) {
        continue;
      }
      Object wire = fields.get(jsonNames[i]);
      try {
        if (wire == null) {
          values.put(i, null);
        } else if (kinds[i] == Kind.ASSOCIATION) {
          EntityPersister associated =
              session.getFactory().getMappingMetamodel().getEntityDescriptor(associatedEntities[i]);
          Object id = Snapshots.fromWire(wire, associated.getIdentifierMapping().getJavaType().getJavaTypeClass(), json);
          values.put(i, session.getReference(associatedEntities[i], id));
        } else {
          values.put(i, Snapshots.fromWire(wire, javaTypes[i], json));
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("field '" + jsonNames[i] + "' of " + migration.name() + " cannot be read"
            + " back as " + (javaTypes[i] == null ? "?" : javaTypes[i].getSimpleName()) + ": " + e.getMessage(), e);
      }
    }
    return values;
  }

  /** The id of a to-one association, read without loading the associated entity. */
  private Object associatedId(int index, Object value, SharedSessionContractImplementor session) {
    if (value == null) {
      return null;
    }
    LazyInitializer lazy = HibernateProxy.extractLazyInitializer(value);
    if (lazy != null) {
      return lazy.getInternalIdentifier();
    }
    return session.getFactory().getMappingMetamodel().getEntityDescriptor(associatedEntities[index])
        .getIdentifier(value, session);
  }

  private static String renamed(AnnotatedElement member, String name) {
    MirrorName rename = member == null ? null : member.getAnnotation(MirrorName.class);
    return rename == null ? name : rename.value();
  }

  /** The field, or else the getter, that holds property {@code name}, looking up the class hierarchy. */
  private static AnnotatedElement member(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getName().equals(name)) {
          return field;
        }
      }
      String suffix = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
      for (Method method : c.getDeclaredMethods()) {
        if (method.getParameterCount() == 0
            && (method.getName().equals("get" + suffix) || method.getName().equals("is" + suffix))) {
          return method;
        }
      }
    }
    return null;
  }
}

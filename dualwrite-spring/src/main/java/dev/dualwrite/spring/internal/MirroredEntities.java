package dev.dualwrite.spring.internal;

import dev.dualwrite.hibernate.Mirrored;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * The migration entities named by {@link Mirrored} on the application's JPA entity classes, with the classes that name
 * each. Immutable and thread-safe.
 */
public final class MirroredEntities {
  private static final MirroredEntities NONE = new MirroredEntities(Map.of(), false);

  private final Map<String, List<String>> classesByEntity;
  private final boolean scanned;

  private MirroredEntities(Map<String, List<String>> classesByEntity, boolean scanned) {
    this.classesByEntity = classesByEntity;
    this.scanned = scanned;
  }

  /** Nothing known: the application's entity classes were not available (no JPA auto-configuration). */
  public static MirroredEntities unknown() {
    return NONE;
  }

  /**
   * Reads {@link Mirrored} from each class's bytecode, without loading the class (so load-time weaving and bytecode
   * enhancement still see it first).
   *
   * @param classNames the managed classes, e.g. Spring Boot's {@code PersistenceManagedTypes}
   * @throws UncheckedIOException when a class file cannot be read
   */
  public static MirroredEntities scan(Collection<String> classNames, ResourceLoader resourceLoader) {
    MetadataReaderFactory readers = new CachingMetadataReaderFactory(resourceLoader);
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (String className : classNames) {
      Map<String, Object> mirrored;
      try {
        mirrored = readers.getMetadataReader(className).getAnnotationMetadata()
            .getAnnotationAttributes(Mirrored.class.getName());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read entity class " + className + " to look for @Mirrored", e);
      }
      if (mirrored != null) {
        found.computeIfAbsent((String) mirrored.get("value"), name -> new ArrayList<>()).add(className);
      }
    }
    found.replaceAll((name, classes) -> List.copyOf(classes));
    return new MirroredEntities(Collections.unmodifiableMap(found), true);
  }

  /** The migration entity names, in the order their first class was found. */
  public Set<String> names() {
    return classesByEntity.keySet();
  }

  /** The classes marked {@code @Mirrored(name)}; empty when none. */
  public List<String> classesOf(String name) {
    return classesByEntity.getOrDefault(name, List.of());
  }

  /** Whether the application's entity classes were scanned, so that an entity missing here has no mirrored class. */
  public boolean scanned() {
    return scanned;
  }
}

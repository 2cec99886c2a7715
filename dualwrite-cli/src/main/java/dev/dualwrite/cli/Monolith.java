package dev.dualwrite.cli;

import dev.dualwrite.hibernate.Mirrored;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The monolith's classes, as the CLI loads them: from a plain jar, a Spring Boot jar ({@code BOOT-INF/classes} and
 * {@code BOOT-INF/lib}, unpacked to a temporary folder deleted on close) or a classes folder. Finds its
 * {@code @Mirrored} entities and reads the Hibernate settings from its {@code application.properties}. The CLI's own
 * classes (dualwrite, Hibernate, JPA) come first, so the entities are read with the CLI's Hibernate. Not thread-safe.
 */
final class Monolith implements AutoCloseable {
  /** Hibernate's setting for the physical naming strategy. */
  static final String PHYSICAL_NAMING = "hibernate.physical_naming_strategy";
  /** Hibernate's setting for the implicit naming strategy. */
  static final String IMPLICIT_NAMING = "hibernate.implicit_naming_strategy";

  private static final String BOOT_CLASSES = "BOOT-INF/classes/";
  private static final String BOOT_LIB = "BOOT-INF/lib/";
  private static final byte[] MIRRORED = ("L" + Mirrored.class.getName().replace('.', '/') + ";")
      .getBytes(StandardCharsets.UTF_8);
  /** Spring Boot's own physical naming strategy (in Hibernate since 6). */
  private static final String SPRING_PHYSICAL = "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy";
  /** Spring Boot's implicit naming strategy: Boot 4's package, then Boot 3's. */
  private static final List<String> SPRING_IMPLICIT = List.of(
      "org.springframework.boot.hibernate.SpringImplicitNamingStrategy",
      "org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy");

  private final Path path;
  private final Path classes;
  private final Path unpacked;
  private final boolean bootJar;
  private final URLClassLoader loader;

  private Monolith(Path path, Path classes, Path unpacked, boolean bootJar, List<Path> classpath) {
    this.path = path;
    this.classes = classes;
    this.unpacked = unpacked;
    this.bootJar = bootJar;
    this.loader = new URLClassLoader("monolith", urls(classpath), Monolith.class.getClassLoader());
  }

  /**
   * The monolith at {@code path}: a jar (plain or Spring Boot) or a folder of classes.
   *
   * @throws CliFailure when there is nothing at {@code path}, or it is neither a jar nor a folder
   */
  static Monolith open(Path path) {
    if (Files.isDirectory(path)) {
      return new Monolith(path, path, null, false, List.of(path));
    }
    if (!Files.isRegularFile(path)) {
      throw new CliFailure("--monolith " + path + ": no such file or folder; give the monolith's jar (plain or"
          + " Spring Boot) or its classes folder, e.g. target/classes");
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      if (jar.getEntry(BOOT_CLASSES) == null) {
        return new Monolith(path, null, null, false, List.of(path));
      }
      Path folder = Files.createTempDirectory("dualwrite-monolith-");
      List<Path> classpath = new ArrayList<>();
      classpath.add(folder.resolve("classes"));
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        Path target = name.startsWith(BOOT_CLASSES) ? folder.resolve("classes").resolve(name.substring(BOOT_CLASSES.length()))
            : name.startsWith(BOOT_LIB) && name.endsWith(".jar") ? folder.resolve("lib").resolve(name.substring(BOOT_LIB.length()))
            : null;
        if (target == null || entry.isDirectory() || !target.normalize().startsWith(folder)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, target);
        }
        if (name.startsWith(BOOT_LIB)) {
          classpath.add(target);
        }
      }
      return new Monolith(path, folder.resolve("classes"), folder, true, classpath);
    } catch (IOException e) {
      throw new CliFailure("--monolith " + path + " cannot be read as a jar (" + e.getMessage() + "); give the"
          + " monolith's jar (plain or Spring Boot) or its classes folder");
    }
  }

  /** The class loader of the monolith's classes, with the CLI's as its parent. */
  ClassLoader classLoader() {
    return loader;
  }

  /** The {@code @Mirrored} entity classes of the monolith, by migration entity name. */
  Map<String, Class<?>> mirroredClasses() {
    Map<String, Class<?>> found = new TreeMap<>();
    for (String name : classNames()) {
      if (!mentionsMirrored(name)) {
        continue;
      }
      Class<?> type = load(name);
      Mirrored mirrored = type.getAnnotation(Mirrored.class);
      if (mirrored != null) {
        found.put(mirrored.value(), type);
      }
    }
    return found;
  }

  /** The class called {@code name}, from the monolith or the CLI. */
  Class<?> load(String name) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new CliFailure("class " + name + " cannot be loaded from --monolith " + path + " (" + e + ")");
    }
  }

  /**
   * The Hibernate settings the monolith runs with, as far as its {@code hibernate.properties} and
   * {@code application.properties} say, then {@code more} (another properties file of the application's, e.g. a
   * profile's): {@code hibernate.*} keys as they are, Spring Boot's {@code spring.jpa.properties.*} without the prefix,
   * and {@code spring.jpa.hibernate.naming.*} as the naming strategies. A Spring Boot monolith (a Boot jar, or one
   * whose properties set {@code spring.*}) gets Spring Boot's naming strategies unless its properties name others.
   */
  Map<String, String> hibernateSettings(Properties more) {
    Properties properties = new Properties();
    for (String resource : List.of("hibernate.properties", "application.properties")) {
      readInto(properties, resource);
    }
    properties.putAll(more);
    Map<String, String> settings = new LinkedHashMap<>();
    boolean springBoot = bootJar;
    for (String key : new TreeMap<>(properties).keySet().stream().map(String::valueOf).toList()) {
      String value = properties.getProperty(key).strip();
      springBoot |= key.startsWith("spring.");
      if (key.startsWith("hibernate.")) {
        settings.put(key, value);
      } else if (key.startsWith("spring.jpa.properties.")) {
        settings.put(key.substring("spring.jpa.properties.".length()), value);
      } else if (key.equals("spring.jpa.hibernate.naming.physical-strategy")) {
        settings.put(PHYSICAL_NAMING, value);
      } else if (key.equals("spring.jpa.hibernate.naming.implicit-strategy")) {
        settings.put(IMPLICIT_NAMING, value);
      }
    }
    if (springBoot) {
      settings.putIfAbsent(PHYSICAL_NAMING, SPRING_PHYSICAL);
      SPRING_IMPLICIT.stream().filter(this::loadable).findFirst()
          .ifPresent(implicit -> settings.putIfAbsent(IMPLICIT_NAMING, implicit));
    }
    return settings;
  }

  private void readInto(Properties properties, String resource) {
    Path file = classes == null ? null : classes.resolve(resource);
    try (InputStream in = file != null ? (Files.isRegularFile(file) ? Files.newInputStream(file) : null)
        : jarResource(resource)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " of " + path, e);
    }
  }

  private InputStream jarResource(String resource) throws IOException {
    URL url = loader.findResource(resource);
    return url == null ? null : url.openStream();
  }

  private boolean loadable(String name) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private List<String> classNames() {
    List<String> names = new ArrayList<>();
    if (classes != null) {
      try (Stream<Path> files = Files.walk(classes)) {
        files.filter(f -> f.toString().endsWith(".class")).forEach(f -> names.add(className(
            classes.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"))));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the classes in " + classes, e);
      }
    } else {
      try (JarFile jar = new JarFile(path.toFile())) {
        jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
            .forEach(n -> names.add(className(n)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the classes in " + path, e);
      }
    }
    names.removeIf(n -> n.endsWith("module-info") || n.endsWith("package-info"));
    return names;
  }

  private static String className(String file) {
    return file.substring(0, file.length() - ".class".length()).replace('/', '.');
  }

  /** Whether the class file mentions {@code @Mirrored}: a cheap look before the class is loaded. */
  private boolean mentionsMirrored(String name) {
    try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
      if (in == null) {
        return false;
      }
      byte[] bytes = in.readAllBytes();
      outer:
      for (int i = 0; i <= bytes.length - MIRRORED.length; i++) {
        for (int j = 0; j < MIRRORED.length; j++) {
          if (bytes[i + j] != MIRRORED[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class " + name, e);
    }
  }

  private static URL[] urls(List<Path> classpath) {
    try {
      URL[] urls = new URL[classpath.size()];
      for (int i = 0; i < urls.length; i++) {
        urls[i] = classpath.get(i).toUri().toURL();
      }
      return urls;
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      // nothing more to do than delete the unpacked copy
    }
    if (unpacked != null) {
      try (Stream<Path> files = Files.walk(unpacked)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the unpacked monolith " + unpacked, e);
      }
    }
  }
}

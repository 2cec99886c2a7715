package dev.dualwrite.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module's main code keeps to the other modules' API and {@code spi} packages: an {@code import} of another
 * module's {@code internal} package fails the build. A module's own packages are those under the longest package all
 * its sources share ({@code dev.dualwrite} for core, {@code dev.dualwrite.hibernate} for dualwrite-hibernate, ...).
 * Tests may reach into internals; main code may not. Reads the sources of every module of the repository.
 */
class ModuleBoundariesTest {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern INTERNAL_IMPORT =
      Pattern.compile("(?m)^import\\s+(?:static\\s+)?((?:dev\\.dualwrite(?:\\.\\w+)*?)\\.internal)\\.[\\w.*]+\\s*;");

  /** A module's main sources and the package its sources share. */
  private record Module(Path directory, String rootPackage, List<Path> sources) {}

  @Test
  void noModuleImportsAnotherModulesInternalPackages() throws IOException {
    List<Module> modules = modules(repositoryRoot());
    assertThat(modules).extracting(Module::rootPackage)
        .as("the modules found").contains("dev.dualwrite", "dev.dualwrite.hibernate", "dev.dualwrite.spring",
            "dev.dualwrite.cli", "dev.dualwrite.test");

    List<String> violations = new ArrayList<>();
    for (Module module : modules) {
      for (Path source : module.sources()) {
        Matcher imports = INTERNAL_IMPORT.matcher(Files.readString(source));
        while (imports.find()) {
          String internalPackage = imports.group(1);
          Module owner = owner(modules, internalPackage);
          if (owner != module) {
            String imported = imports.group().replaceFirst("^import\\s+", "").trim();
            violations.add(module.directory().getFileName() + ": " + source.getFileName() + " imports " + imported
                + " (internal to " + owner.directory().getFileName() + ")");
          }
        }
      }
    }
    assertThat(violations).as("imports of another module's internal package; use its API or spi packages").isEmpty();
  }

  /** The module whose root package is the longest prefix of {@code packageName}. */
  private static Module owner(List<Module> modules, String packageName) {
    return modules.stream()
        .filter(m -> packageName.equals(m.rootPackage()) || packageName.startsWith(m.rootPackage() + "."))
        .max(Comparator.comparingInt(m -> m.rootPackage().length()))
        .orElseThrow(() -> new AssertionError("no module owns package " + packageName));
  }

  private static List<Module> modules(Path root) throws IOException {
    Map<Path, List<Path>> sourcesByModule = new TreeMap<>();
    try (Stream<Path> mains = Files.find(root, 5, (path, attributes) -> attributes.isDirectory()
        && path.endsWith(Path.of("src", "main", "java")) && !path.toString().contains("target"))) {
      for (Path main : mains.toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          sourcesByModule.put(main.getParent().getParent().getParent(),
              files.filter(f -> f.toString().endsWith(".java")).toList());
        }
      }
    }
    List<Module> modules = new ArrayList<>();
    sourcesByModule.forEach((directory, sources) -> {
      if (!sources.isEmpty()) {
        modules.add(new Module(directory, commonPackage(sources), sources));
      }
    });
    return modules;
  }

  private static String commonPackage(List<Path> sources) {
    String common = null;
    for (Path source : sources) {
      String name = packageOf(source);
      if (common == null) {
        common = name;
      }
      while (!(name.equals(common) || name.startsWith(common + "."))) {
        common = common.substring(0, Math.max(0, common.lastIndexOf('.')));
      }
    }
    return common;
  }

  private static String packageOf(Path source) {
    try {
      Matcher matcher = PACKAGE.matcher(Files.readString(source));
      if (!matcher.find()) {
        throw new AssertionError(source + " has no package declaration");
      }
      return matcher.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's root: the nearest folder up from this module that holds dualwrite-core. */
  private static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("dualwrite-core").resolve("pom.xml"))) {
        return p;
      }
    }
    throw new AssertionError("no repository root above " + here);
  }
}

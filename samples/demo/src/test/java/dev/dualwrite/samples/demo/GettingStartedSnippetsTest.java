package dev.dualwrite.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/getting-started.md cannot drift from the samples: each Java, properties or XML block names, in an HTML comment
 * above it, either the source file it is copied from ({@code <!-- from samples/... -->}), where it must appear as
 * written (indentation aside), or, for dependencies, that its versions are the build's
 * ({@code <!-- versions: the build's -->}). The blocks of docs/testing.md and docs/spring-boot.md that name a source
 * and those marked {@code versions: the build's} are checked the same way. A Java block carries its imports: it starts with the source's import lines of every type
 * its code names, and those lines may be apart from the code in the source.
 */
class GettingStartedSnippetsTest {
  private static final String PAGE = "docs/getting-started.md";
  /** Pages whose blocks are checked when they name their source; others blocks there need not. */
  private static final List<String> MARKED_PAGES = List.of("docs/testing.md", "docs/spring-boot.md");
  private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)\\.(\\w+|\\*);$");
  private static final String FROM = "from ";
  private static final String BUILD_VERSIONS = "versions: the build's";
  private static final List<String> CHECKED_LANGUAGES = List.of("java", "properties", "xml");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<artifactId>([^<]+)</artifactId>[^\\n]*\\n\\s*<version>([^<]+)</version>");

  @TestFactory
  Stream<DynamicTest> everyCodeBlockIsCopiedFromTheSampleItNames() {
    return Markdown.read(PAGE).blocks().stream()
        .filter(block -> CHECKED_LANGUAGES.contains(block.language()))
        .map(block -> DynamicTest.dynamicTest(PAGE + " line " + block.line(), () -> check(PAGE, block)));
  }

  @TestFactory
  Stream<DynamicTest> everyBlockOfTheOtherPagesThatNamesItsSourceIsCopiedFromIt() {
    return MARKED_PAGES.stream().flatMap(page -> Markdown.read(page).blocks().stream()
        .filter(block -> CHECKED_LANGUAGES.contains(block.language()))
        .filter(block -> block.marker() != null
            && (block.marker().startsWith(FROM) || block.marker().equals(BUILD_VERSIONS)))
        .map(block -> DynamicTest.dynamicTest(page + " line " + block.line(), () -> check(page, block))));
  }

  private static void check(String page, Markdown.Block block) throws IOException {
    String marker = block.marker();
    if (marker != null && marker.startsWith(FROM)) {
      Path source = Markdown.ROOT.resolve(marker.substring(FROM.length()));
      assertThat(source).as("the source named above the block at line %d of %s", block.line(), page).isRegularFile();
      List<String> sourceLines = Files.readAllLines(source);
      List<String> code = block.lines();
      if (block.language().equals("java")) {
        code = assertImports(page, block, sourceLines, source);
      }
      assertAppearsIn(page, block, code, sourceLines, source);
    } else if (BUILD_VERSIONS.equals(marker) && block.language().equals("xml")) {
      assertBuildVersions(block);
    } else {
      fail("the " + block.language() + " block at line " + block.line() + " of " + page + " must say where it comes"
          + " from on the line above it: <!-- from <path of a sample source> --> or <!-- " + BUILD_VERSIONS
          + " --> (dependencies)");
    }
  }

  /**
   * The block's leading import lines are the source's, and include each one of the source's whose type the code
   * names; returns the code after them.
   */
  private static List<String> assertImports(String page, Markdown.Block block, List<String> source, Path file) {
    List<String> lines = block.lines();
    int start = 0;
    List<String> imports = new ArrayList<>();
    while (start < lines.size() && (lines.get(start).startsWith("import ") || lines.get(start).isBlank())) {
      if (!lines.get(start).isBlank()) {
        imports.add(lines.get(start).strip());
      }
      start++;
    }
    List<String> code = lines.subList(start, lines.size());
    String body = String.join("\n", code);
    List<String> missing = new ArrayList<>();
    for (String line : source) {
      Matcher anImport = IMPORT.matcher(line.strip());
      if (anImport.matches() && !anImport.group(3).equals("*")
          && Pattern.compile("\\b" + anImport.group(3) + "\\b").matcher(body).find()
          && !imports.contains(line.strip())) {
        missing.add(line.strip());
      }
    }
    assertThat(missing).as("the imports the block at line %d of %s needs (its code names their types); add them at"
        + " its start", block.line(), page).isEmpty();
    List<String> sourceLines = source.stream().map(String::strip).toList();
    assertThat(imports).as("the imports of the block at line %d of %s, each one of %s's", block.line(), page,
        Markdown.ROOT.relativize(file)).allSatisfy(line -> assertThat(sourceLines).contains(line));
    return code;
  }

  /** The code's lines appear one after the other in the source, all shifted right by the same indentation. */
  private static void assertAppearsIn(
      String page, Markdown.Block block, List<String> snippet, List<String> source, Path file) {
    for (int start = 0; start + snippet.size() <= source.size(); start++) {
      String first = source.get(start);
      if (!first.endsWith(snippet.get(0)) || !first.substring(0, first.length() - snippet.get(0).length()).isBlank()) {
        continue;
      }
      String indent = first.substring(0, first.length() - snippet.get(0).length());
      boolean matches = true;
      for (int k = 1; k < snippet.size() && matches; k++) {
        String expected = snippet.get(k).isEmpty() ? "" : indent + snippet.get(k);
        matches = source.get(start + k).stripTrailing().equals(expected);
      }
      if (matches) {
        return;
      }
    }
    fail("the block at line " + block.line() + " of " + page + " no longer appears in " + Markdown.ROOT.relativize(file)
        + " as written; copy it again from there:\n" + String.join("\n", snippet));
  }

  private static void assertBuildVersions(Markdown.Block block) throws IOException {
    String pom = Files.readString(Markdown.ROOT.resolve("pom.xml"));
    Map<String, String> buildVersions = Map.of(
        "dualwrite", property(pom, "<artifactId>dualwrite-parent</artifactId>\\s*<version>([^<]+)</version>"),
        "hibernate-core", property(pom, "<hibernate.version>([^<]+)</hibernate.version>"),
        "h2", property(pom, "<h2.version>([^<]+)</h2.version>"));
    Matcher dependency = DEPENDENCY.matcher(String.join("\n", block.lines()));
    int found = 0;
    while (dependency.find()) {
      found++;
      String artifact = dependency.group(1);
      String key = artifact.startsWith("dualwrite-") ? "dualwrite" : artifact;
      assertThat(buildVersions).as("a version this test knows for %s (block at line %d); add it here", artifact,
          block.line()).containsKey(key);
      assertThat(dependency.group(2)).as("the version of %s in the block at line %d of %s", artifact, block.line(),
          PAGE).isEqualTo(buildVersions.get(key));
    }
    assertThat(found).as("dependencies with a version in the block at line %d", block.line()).isPositive();
  }

  private static String property(String pom, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(pom);
    assertThat(matcher.find()).as("the root pom.xml has %s", regex).isTrue();
    return matcher.group(1);
  }
}

package dev.dualwrite.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * ({@code <!-- versions: the build's -->}).
 */
class GettingStartedSnippetsTest {
  private static final String PAGE = "docs/getting-started.md";
  private static final String FROM = "from ";
  private static final String BUILD_VERSIONS = "versions: the build's";
  private static final List<String> CHECKED_LANGUAGES = List.of("java", "properties", "xml");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<artifactId>([^<]+)</artifactId>[^\\n]*\\n\\s*<version>([^<]+)</version>");

  @TestFactory
  Stream<DynamicTest> everyCodeBlockIsCopiedFromTheSampleItNames() {
    return Markdown.read(PAGE).blocks().stream()
        .filter(block -> CHECKED_LANGUAGES.contains(block.language()))
        .map(block -> DynamicTest.dynamicTest(PAGE + " line " + block.line(), () -> check(block)));
  }

  private static void check(Markdown.Block block) throws IOException {
    String marker = block.marker();
    if (marker != null && marker.startsWith(FROM)) {
      Path source = Markdown.ROOT.resolve(marker.substring(FROM.length()));
      assertThat(source).as("the source named above the block at line %d", block.line()).isRegularFile();
      assertAppearsIn(block, Files.readAllLines(source), source);
    } else if (BUILD_VERSIONS.equals(marker) && block.language().equals("xml")) {
      assertBuildVersions(block);
    } else {
      fail("the " + block.language() + " block at line " + block.line() + " of " + PAGE + " must say where it comes"
          + " from on the line above it: <!-- from <path of a sample source> --> or <!-- " + BUILD_VERSIONS
          + " --> (dependencies)");
    }
  }

  /** The block's lines appear one after the other in the source, all shifted right by the same indentation. */
  private static void assertAppearsIn(Markdown.Block block, List<String> source, Path file) {
    List<String> snippet = block.lines();
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
    fail("the block at line " + block.line() + " of " + PAGE + " no longer appears in " + Markdown.ROOT.relativize(file)
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

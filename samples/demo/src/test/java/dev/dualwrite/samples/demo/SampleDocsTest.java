package dev.dualwrite.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's demo section, the guides index and the sample guides hold together: one demo command, every guide
 * indexed, every link and anchor in these pages resolving, every Maven command naming modules and profiles that
 * exist.
 */
class SampleDocsTest {
  private static final String DEMO_SECTION = "## Run the demo";
  private static final Pattern MODULES = Pattern.compile("(?:^|\\s)-pl\\s+(\\S+)");
  private static final Pattern PROFILE = Pattern.compile("(?:^|\\s)-P(\\S+)");

  @Test
  void theReadmeRunsTheDemoWithOneCommandThatSamplesMdShowsToo() {
    List<Markdown.Block> blocks = Markdown.read("README.md").section(DEMO_SECTION).blocks();

    assertThat(blocks).as("fenced blocks in the README's 'Run the demo'").hasSize(1);
    assertThat(blocks.get(0).lines()).as("the demo command").hasSize(1);
    String command = blocks.get(0).lines().get(0);
    assertThat(command).startsWith("mvn ").contains("-pl samples/demo").contains(" -am ");
    assertThat(Markdown.read("docs/samples.md").blocks()).extracting(Markdown.Block::lines)
        .as("docs/samples.md shows the same command").contains(List.of(command));
  }

  @Test
  void theIndexLinksEveryGuide() throws IOException {
    List<String> linked = Markdown.read("docs/README.md").links();
    try (Stream<Path> guides = Files.list(Markdown.ROOT.resolve("docs"))) {
      assertThat(guides.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".md") && !name.equals("README.md")))
          .as("guides in docs/, each linked from docs/README.md")
          .allSatisfy(guide -> assertThat(linked).anyMatch(link -> link.equals(guide)
              || link.startsWith(guide + "#")));
    }
  }

  @Test
  void everyLinkAndAnchorResolves() {
    List<String> broken = new ArrayList<>();
    for (Markdown markdown : pages()) {
      String page = Markdown.ROOT.relativize(markdown.file()).toString();
      for (String link : markdown.links()) {
        if (link.matches("[a-z]+:.*")) {
          continue;
        }
        int hash = link.indexOf('#');
        String target = hash < 0 ? link : link.substring(0, hash);
        Path file = target.isEmpty() ? markdown.file() : markdown.file().resolveSibling(target).normalize();
        if (!Files.exists(file)) {
          broken.add(page + ": " + link + " (no such file)");
        } else if (hash >= 0 && !Markdown.read(Markdown.ROOT.relativize(file).toString()).anchors()
            .contains(link.substring(hash + 1))) {
          broken.add(page + ": " + link + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void everyMavenCommandNamesModulesAndProfilesThatExist() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Markdown markdown : pages()) {
      String page = Markdown.ROOT.relativize(markdown.file()).toString();
      for (Markdown.Block block : markdown.blocks()) {
        for (String line : block.lines()) {
          if (!line.contains("mvn ")) {
            continue;
          }
          List<Path> modules = new ArrayList<>();
          Matcher pl = MODULES.matcher(line);
          while (pl.find()) {
            for (String module : pl.group(1).split(",")) {
              modules.add(Markdown.ROOT.resolve(module).resolve("pom.xml"));
            }
          }
          for (Path pom : modules) {
            if (!Files.isRegularFile(pom)) {
              wrong.add(page + " line " + block.line() + ": no module " + Markdown.ROOT.relativize(pom.getParent()));
            }
          }
          Matcher profile = PROFILE.matcher(line);
          while (profile.find()) {
            String id = "<id>" + profile.group(1) + "</id>";
            boolean defined = false;
            for (Path pom : modules) {
              defined |= Files.isRegularFile(pom) && Files.readString(pom).contains(id);
            }
            if (!defined) {
              wrong.add(page + " line " + block.line() + ": no profile " + profile.group(1) + " in " + modules);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The pages about the samples: the index, getting started, the samples, and the README's demo section. */
  private static List<Markdown> pages() {
    return List.of(Markdown.read("docs/README.md"), Markdown.read("docs/getting-started.md"),
        Markdown.read("docs/samples.md"), Markdown.read("README.md").section(DEMO_SECTION));
  }
}

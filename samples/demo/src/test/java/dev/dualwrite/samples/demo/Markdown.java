package dev.dualwrite.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Markdown file of this repository, read the way the docs tests need it: fenced blocks, links, headings. */
final class Markdown {
  /** The repository's root directory: the tests run in {@code samples/demo}. */
  static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("../..").normalize();

  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*$");

  /**
   * A fenced code block.
   *
   * @param language what follows the opening fence, e.g. {@code java}; empty when nothing
   * @param marker the HTML comment on the last non-blank line before the block, e.g. {@code from samples/...};
   *     null when there is none
   * @param lines the block's lines, without the fence's indentation
   * @param line the line number of the opening fence, from 1
   */
  record Block(String language, String marker, List<String> lines, int line) {}

  private final Path file;
  private final List<String> lines;

  private Markdown(Path file, List<String> lines) {
    this.file = file;
    this.lines = lines;
  }

  /** Reads {@code path}, relative to the repository's root. */
  static Markdown read(String path) {
    Path file = ROOT.resolve(path);
    try {
      return new Markdown(file, Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path file() {
    return file;
  }


  /**
   * The section under {@code heading}, a whole heading line such as {@code ## Run the demo}, up to the next heading of
   * any level; its line numbers count from the section's start.
   */
  Markdown section(String heading) {
    int start = lines.indexOf(heading);
    if (start < 0) {
      throw new AssertionError(file + " has no heading '" + heading + "'");
    }
    int end = start + 1;
    boolean inBlock = false;
    while (end < lines.size()) {
      inBlock ^= FENCE.matcher(lines.get(end)).matches();
      if (!inBlock && HEADING.matcher(lines.get(end)).matches()) {
        break;
      }
      end++;
    }
    return new Markdown(file, lines.subList(start + 1, end));
  }

  /** The fenced blocks, in order. */
  List<Block> blocks() {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String indent = open.group(1);
      List<String> content = new ArrayList<>();
      int j = i + 1;
      while (!lines.get(j).strip().equals("```")) {
        String line = lines.get(j);
        content.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
        j++;
      }
      blocks.add(new Block(open.group(2), markerBefore(i), List.copyOf(content), i + 1));
      i = j;
    }
    return blocks;
  }

  private String markerBefore(int fence) {
    for (int i = fence - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        Matcher marker = MARKER.matcher(lines.get(i));
        return marker.matches() ? marker.group(1) : null;
      }
    }
    return null;
  }

  /** Every link target outside code blocks, e.g. {@code samples.md#demo} or {@code https://...}. */
  List<String> links() {
    List<String> links = new ArrayList<>();
    boolean inBlock = false;
    for (String line : lines) {
      inBlock ^= FENCE.matcher(line).matches();
      if (!inBlock) {
        Matcher link = LINK.matcher(line);
        while (link.find()) {
          links.add(link.group(1));
        }
      }
    }
    return links;
  }

  /** The anchors GitHub gives the headings, e.g. {@code 6-run-it}; repeated headings get {@code -1}, {@code -2}. */
  List<String> anchors() {
    List<String> anchors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inBlock = false;
    for (String line : lines) {
      inBlock ^= FENCE.matcher(line).matches();
      Matcher heading = HEADING.matcher(line);
      if (!inBlock && heading.matches()) {
        String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
            .replace(' ', '-');
        int count = seen.merge(slug, 1, Integer::sum);
        anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return anchors;
  }
}

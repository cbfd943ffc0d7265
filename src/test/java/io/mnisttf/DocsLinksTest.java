package io.mnisttf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the README and the pages under {@code src/site/markdown} points at a file that exists,
 * and every {@code #anchor} at a heading of the page it names (GitHub's heading slugs), so that the front door's
 * links and the pages' links to each other never go stale when a page is renamed or a section retitled.
 */
class DocsLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> site = Files.list(Path.of("src/site/markdown"))) {
      site.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertTrue(pages.size() >= 8, "the README and its pages: " + pages);
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      String text = FENCE.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http(s), mailto: not ours to check here
        }
        checked++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(page + ": " + target + " (no such file)");
        } else if (hash >= 0 && file.endsWith(".md") || hash >= 0 && file.isEmpty()) {
          String anchor = target.substring(hash + 1);
          if (!anchors(resolved).contains(anchor)) {
            broken.add(page + ": " + target + " (no heading '#" + anchor + "' in " + resolved.getFileName() + ")");
          }
        }
      }
    }
    assertTrue(checked > 30, "links found: " + checked);
    assertEquals(List.of(), broken);
  }

  @Test
  void theReadmeIsAFrontDoorNotTheManual() throws IOException {
    long lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8).size();
    assertTrue(lines <= 250, "README.md has " + lines + " lines; the reference belongs in src/site/markdown");
  }

  /** GitHub's slugs: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
  static Set<String> anchors(Path page) throws IOException {
    String text = FENCE.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
    Set<String> slugs = new HashSet<>();
    Matcher m = HEADING.matcher(text);
    while (m.find()) {
      String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      slugs.add(slug);
    }
    return slugs;
  }

  @Test
  void slugsAreGitHubs() throws IOException {
    Path page = Files.createTempFile("page", ".md");
    try {
      Files.writeString(page, "# Use it from Java\n## Which TensorFlow versions load it\n### `serve`: the REST API\n");
      assertEquals(Set.of("use-it-from-java", "which-tensorflow-versions-load-it", "serve-the-rest-api"),
          anchors(page));
    } finally {
      Files.delete(page);
    }
  }
}

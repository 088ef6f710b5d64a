package dev.keepalive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README, the documents under {@code docs/} and the Java sources point only at files a clone of
 * this repository has: no path climbs out of it, the documents of {@code docs/} are named by paths
 * that resolve, and every relative markdown link (and its {@code #anchor}, for markdown targets)
 * leads somewhere. Each failure names the file and the line.
 */
class RepositoryLinksTest {

  /** A relative path that climbs out of its directory (dot-dot segments), not an elided "...". */
  private static final Pattern CLIMBING_PATH = Pattern.compile("(?<![\\w.])(?:\\.\\./)+[\\w./-]*");

  /** A markdown file mentioned by name or by path. */
  private static final Pattern MARKDOWN_MENTION = Pattern.compile("(?<![\\w./-])[\\w./-]*\\.md\\b");

  /** Inline links and images {@code [text](target "title")}; the text may hold code spans. */
  private static final Pattern INLINE_LINK =
      Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

  /** Reference definitions {@code [id]: target}. */
  private static final Pattern REFERENCE_LINK =
      Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(\\S+)");

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private final Path root = repositoryRoot();

  @Test
  void noPathLeavesTheRepository() throws IOException {
    List<String> docNames = new ArrayList<>();
    for (Path doc : markdownFiles()) {
      if (doc.getParent().equals(root.resolve("docs"))) {
        docNames.add(doc.getFileName().toString().toLowerCase(Locale.ROOT));
      }
    }
    List<String> problems = new ArrayList<>();
    List<Path> files = new ArrayList<>(markdownFiles());
    files.addAll(javaSources());
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        Matcher climbing = CLIMBING_PATH.matcher(line);
        while (climbing.find()) {
          String path = trimPunctuation(climbing.group());
          if (!existsInside(file, path)) {
            problems.add(where(file, i) + "'" + path + "' leaves the repository or does not exist");
          }
        }
        Matcher mention = MARKDOWN_MENTION.matcher(line);
        while (mention.find()) {
          String path = trimPunctuation(mention.group());
          String name = Path.of(path).getFileName().toString().toLowerCase(Locale.ROOT);
          if (docNames.contains(name) && !existsInside(file, path)) {
            String fix = "write docs/" + name;
            problems.add(where(file, i) + "'" + path + "' names a document of docs/: " + fix);
          }
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void relativeMarkdownLinksResolve() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path file : markdownFiles()) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      boolean fenced = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
          fenced = !fenced;
          continue;
        }
        if (fenced) {
          continue;
        }
        List<String> targets = new ArrayList<>();
        Matcher ref = REFERENCE_LINK.matcher(line);
        if (ref.find()) {
          targets.add(ref.group(1));
        }
        Matcher inline = INLINE_LINK.matcher(withoutCodeSpans(line));
        while (inline.find()) {
          targets.add(inline.group(1));
        }
        for (String target : targets) {
          String problem = checkLink(file, target);
          if (problem != null) {
            problems.add(where(file, i) + "link '" + target + "' " + problem);
          }
        }
      }
    }
    assertNoProblems(problems);
  }

  /** Null when {@code target}, written in {@code file}, leads to a file of the repository. */
  private String checkLink(Path file, String target) throws IOException {
    if (target.startsWith("file:")) {
      return "points at the local file system";
    }
    if (SCHEME.matcher(target).find()) {
      return null; // http:, https:, mailto:
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved;
    if (path.isEmpty()) {
      resolved = file;
    } else {
      String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
      Path base = decoded.startsWith("/") ? root : file.getParent();
      resolved = base.resolve(decoded.replaceFirst("^/+", "")).normalize();
      if (!resolved.startsWith(root)) {
        return "leaves the repository";
      }
      if (!existsExactly(resolved)) {
        return "points at " + root.relativize(resolved) + ", which does not exist";
      }
    }
    if (anchor != null
        && !anchor.isEmpty()
        && resolved.getFileName().toString().endsWith(".md")
        && Files.isRegularFile(resolved)
        && !headingAnchors(resolved).contains(anchor)) {
      return "names #" + anchor + ", which is no heading of " + root.relativize(resolved);
    }
    return null;
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
  private static List<String> headingAnchors(Path markdown) throws IOException {
    List<String> anchors = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        fenced = !fenced;
      }
      if (fenced || !line.startsWith("#")) {
        continue;
      }
      String text = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
      String slug = text.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
      String anchor = slug;
      for (int n = 1; anchors.contains(anchor); n++) {
        anchor = slug + "-" + n;
      }
      anchors.add(anchor);
    }
    return anchors;
  }

  /**
   * Whether {@code path}, as written in {@code file}, names an existing file or directory inside
   * the repository: relative to the file itself (as a markdown link is read), to its module (where
   * Maven runs the code) or to the repository root (where the README's commands run).
   */
  private boolean existsInside(Path file, String path) {
    List<Path> bases = new ArrayList<>(List.of(file.getParent(), root));
    for (Path dir = file.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))) {
        bases.add(dir);
        break;
      }
    }
    for (Path base : bases) {
      Path resolved = base.resolve(path).normalize();
      if (resolved.startsWith(root) && existsExactly(resolved)) {
        return true;
      }
    }
    return false;
  }

  /** Exists, with the name's case exactly as written (macOS and Windows ignore case). */
  private static boolean existsExactly(Path path) {
    if (!Files.exists(path)) {
      return false;
    }
    try {
      Path real = path.toRealPath();
      return path.getFileName() == null
          || real.getFileName().toString().equals(path.getFileName().toString());
    } catch (IOException e) {
      return false;
    }
  }

  private List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> s = Files.list(docs)) {
        s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /** Every {@code *.java} under the {@code src} directory of the root or of a module. */
  private List<Path> javaSources() throws IOException {
    List<Path> srcDirs = new ArrayList<>(List.of(root.resolve("src")));
    try (Stream<Path> s = Files.list(root)) {
      s.filter(Files::isDirectory).sorted().forEach(d -> srcDirs.add(d.resolve("src")));
    }
    List<Path> files = new ArrayList<>();
    for (Path src : srcDirs) {
      if (Files.isDirectory(src)) {
        try (Stream<Path> s = Files.walk(src)) {
          s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
        }
      }
    }
    return files;
  }

  /** The repository root: the nearest directory, from the working one up, with the README. */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md"))
          && Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("benchmarks"))
          && Files.isDirectory(dir.resolve("harness-server"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no repository root (README.md, pom.xml, benchmarks/, harness-server/) at or above "
            + start);
  }

  private static String withoutCodeSpans(String line) {
    return line.replaceAll("`[^`]*`", "");
  }

  private static String trimPunctuation(String path) {
    return path.replaceAll("[.,:;]+$", "");
  }

  private String where(Path file, int index) {
    return root.relativize(file).toString().replace('\\', '/') + ":" + (index + 1) + ": ";
  }

  private static void assertNoProblems(List<String> problems) {
    assertTrue(
        problems.isEmpty(), () -> problems.size() + " problem(s):\n" + String.join("\n", problems));
  }
}

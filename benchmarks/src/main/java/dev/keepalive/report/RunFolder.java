package dev.keepalive.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of one run, and the one owner of the run layout's rules (docs/design.md, "Results
 * layout"): a run writes only into a folder of its own, by default a new {@code
 * results/runs/<date>-<commit>-<n>/} with {@code results/latest} pointing at the newest; into an
 * existing folder only when the user forces it. While a run is going, and after it failed, its
 * folder holds a {@value #FAILED} file whose first line is the reason; a run that finished well
 * removes it. A run killed before it could say anything therefore still reads as failed.
 *
 * <p>Thread-safety: a run folder is used by the one thread that runs the command (see the package).
 */
public final class RunFolder {

  /** The marker of a failed (or unfinished) run: its first line is the reason. */
  public static final String FAILED = "FAILED";

  /** Under the results folder: one folder per run. */
  public static final String RUNS = "runs";

  /** Under the results folder: a symbolic link to the newest run's folder. */
  public static final String LATEST = "latest";

  /**
   * The files and folders of the layout that a forced run first removes from its folder: those of
   * {@code suite}, {@code overhead} and {@code faults}, and the charts ({@link Charts}).
   */
  private static final List<String> LAYOUT_FILES =
      List.of(
          FAILED,
          "env.json",
          "jmh.json",
          "jmh.log",
          "summary.md",
          "overhead.md",
          "faults.md",
          "hdr");

  private static final Pattern CHART =
      Pattern.compile("(throughput.*|connections|latency-.*)\\.png");

  private static final int MAX_RUNS_PER_DAY_AND_COMMIT = 10_000;

  private final Path dir;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /** Where the run's files go. */
  public Path dir() {
    return dir;
  }

  /**
   * A new run folder {@code results/runs/<date>-<commit>-<n>/} (n the first number not taken yet),
   * with {@code results/latest} pointed at it, and the run's files in its {@code sub} folder
   * ({@code ""} for the folder itself).
   *
   * @param notes where a note goes when {@code results/latest} cannot be pointed at the new run
   */
  public static RunFolder create(Path results, String sub, Environment env, List<String> notes)
      throws IOException {
    Path runs = results.resolve(RUNS);
    Files.createDirectories(runs);
    String prefix = LocalDate.now(ZoneOffset.UTC) + "-" + commitLabel(env.gitCommit()) + "-";
    for (int n = 1; n <= MAX_RUNS_PER_DAY_AND_COMMIT; n++) {
      Path run = runs.resolve(prefix + n);
      try {
        Files.createDirectory(run); // atomic: two runs started at once get different folders
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      pointLatest(results, run, notes);
      Path dir = sub.isEmpty() ? run : run.resolve(sub);
      Files.createDirectories(dir);
      return new RunFolder(dir);
    }
    throw new IOException(
        "more than " + MAX_RUNS_PER_DAY_AND_COMMIT + " runs named " + runs.resolve(prefix + "N"));
  }

  /**
   * The folder the user named. It must be new or empty, unless {@code force}: then the files an
   * earlier run left there ({@link #LAYOUT_FILES}, charts, tables) are removed first, so that its
   * files never mix with this run's; other files and folders stay.
   *
   * @throws IllegalArgumentException when the folder cannot be used (see {@link #checkUsable})
   */
  public static RunFolder at(Path dir, boolean force) throws IOException {
    checkUsable(dir, force);
    Files.createDirectories(dir);
    if (force) {
      for (Path p : earlierRunFiles(dir)) {
        deleteTree(p);
      }
    }
    return new RunFolder(dir);
  }

  /**
   * Whether a run may write into {@code dir}; nothing is written.
   *
   * @throws IllegalArgumentException naming the folder and what is in the way
   */
  public static void checkUsable(Path dir, boolean force) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("'" + dir + "' is a file, not a folder");
    }
    if (!Files.isDirectory(dir) || force) {
      return;
    }
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(p -> p.getFileName().toString()).sorted().limit(4).toList();
    }
    if (!names.isEmpty()) {
      throw new IllegalArgumentException(
          "'"
              + dir
              + "' already holds files ("
              + String.join(", ", names.subList(0, Math.min(3, names.size())))
              + (names.size() > 3 ? ", ..." : "")
              + "); a run writes only into a new folder: give another, or add --force to replace"
              + " the run there");
    }
  }

  /**
   * Marks the run as going: {@value #FAILED} says "not finished" until {@link #succeeded} or {@link
   * #failed}, so a run stopped by a signal or a crash reads as failed; then writes {@code
   * env.json}.
   */
  public void begin(Environment env) throws IOException {
    mark(
        "not finished: the run started at "
            + Instant.now()
            + " (process "
            + ProcessHandle.current().pid()
            + ") and has not ended; if that process is gone, it was stopped before it finished");
    env.write(dir.resolve("env.json"));
  }

  /** The run finished well: the {@value #FAILED} marker goes. */
  public void succeeded() throws IOException {
    Files.deleteIfExists(dir.resolve(FAILED));
  }

  /** The run failed: {@value #FAILED} holds the reason; nothing else is touched. */
  public void failed(String reason) throws IOException {
    mark(reason);
  }

  private void mark(String reason) throws IOException {
    Path tmp = dir.resolve(FAILED + ".tmp");
    Files.writeString(tmp, oneLine(reason) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(FAILED), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Why the run in {@code dir} failed (or did not finish); empty for a run that finished well. */
  public static Optional<String> failure(Path dir) throws IOException {
    Path marker = dir.resolve(FAILED);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
    return Optional.of(
        lines.isEmpty() || lines.get(0).isBlank() ? "no reason given" : lines.get(0));
  }

  /**
   * {@code latest} → {@code runs/<name>}, replaced atomically; a {@code latest} that is not a link
   * (a folder of the single-folder layout) is left as it is, with a note.
   */
  private static void pointLatest(Path results, Path run, List<String> notes) throws IOException {
    Path latest = results.resolve(LATEST);
    if (Files.exists(latest, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(latest)) {
      notes.add(
          latest
              + " is not a link (a folder of the older single-folder layout?): left as it is;"
              + " the newest run is "
              + run);
      return;
    }
    Path tmp = results.resolve("." + LATEST + "-" + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    try {
      Files.createSymbolicLink(tmp, results.relativize(run));
    } catch (UnsupportedOperationException | IOException e) {
      notes.add("cannot link " + latest + " to " + run + ": " + e.getMessage());
      return;
    }
    Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * {@code 8cfaffa} from {@code 8cfaffa (with uncommitted changes)}; {@code unknown} without git.
   */
  static String commitLabel(String gitCommit) {
    String first = gitCommit == null ? "" : gitCommit.split(" ", 2)[0];
    String label = first.matches("[0-9a-fA-F]{4,40}") ? first : "unknown";
    return gitCommit != null && gitCommit.contains("uncommitted") ? label + "-dirty" : label;
  }

  private static List<Path> earlierRunFiles(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return LAYOUT_FILES.contains(name) || CHART.matcher(name).matches();
              })
          .forEach(found::add);
    }
    return found;
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> children = Files.list(p)) {
        for (Path c : children.toList()) {
          deleteTree(c);
        }
      }
    }
    Files.delete(p);
  }

  private static String oneLine(String s) {
    return s == null ? "no reason given" : s.lines().findFirst().orElse("no reason given");
  }
}

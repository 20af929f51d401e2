package io.rpcenv.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the main sources: the API never reaches into {@code internal}, the packages under
 * {@code internal} depend on each other without a cycle, rpcenv types are imported rather than
 * written out in code, no main file is longer than 350 lines, and every internal package says it is
 * not API.
 */
class PackageStructureTest {
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(io\\.rpcenv(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  /** A fully qualified rpcenv type written inline in code rather than imported. */
  private static final Pattern INLINE =
      Pattern.compile("[^\\w.\"](io\\.rpcenv(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");

  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
        String text = Files.readString(f);
        Set<String> uses = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        for (Matcher m = IMPORT.matcher(text); m.find(); ) {
          if (!m.group(1).equals(pkg)) {
            uses.add(m.group(1));
          }
        }
      }
    }
    return deps;
  }

  @Test
  void theApiNeverImportsTheImplementation() throws IOException {
    dependencies()
        .forEach(
            (pkg, uses) -> {
              if (!pkg.contains(".internal")) {
                assertThat(uses)
                    .as("packages %s imports", pkg)
                    .noneMatch(u -> u.contains(".internal"));
              }
            });
  }

  @Test
  void theInternalPackagesHaveNoCycle() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    List<String> cycles = new ArrayList<>();
    deps.keySet()
        .removeIf(
            p -> !p.contains(".internal")); // io.rpcenv and its spi refer to each other by design
    for (String start : deps.keySet()) {
      findCycle(deps, start, start, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  private static void findCycle(
      Map<String, Set<String>> deps,
      String start,
      String at,
      List<String> path,
      Set<String> seen,
      List<String> cycles) {
    for (String next : deps.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", path) + " -> " + start);
      } else if (deps.containsKey(next) && seen.add(next)) {
        path.add(next);
        findCycle(deps, start, next, path, seen, cycles);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void noMainFileIsLongerThan350LinesAndNoneNamesRpcenvTypesInline() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        assertThat(lines.size()).as("lines in %s", f).isLessThanOrEqualTo(350);
        for (String line : lines) {
          String code = line.strip();
          if (code.startsWith("import ")
              || code.startsWith("package ")
              || code.startsWith("*")
              || code.startsWith("/**")
              || code.startsWith("//")) {
            continue;
          }
          String withoutStrings = STRING.matcher(code).replaceAll("\"\"");
          assertThat(INLINE.matcher(" " + withoutStrings).find())
              .as("%s names a type inline: %s", f, code)
              .isFalse();
        }
      }
    }
  }

  @Test
  void everyInternalPackageSaysItIsNotApi() throws IOException {
    for (String pkg : dependencies().keySet()) {
      if (pkg.contains(".internal")) {
        Path info = MAIN.resolve(pkg.replace('.', '/')).resolve("package-info.java");
        assertThat(info).as("package-info of %s", pkg).exists();
        assertThat(Files.readString(info)).contains("Not API");
      }
    }
  }
}

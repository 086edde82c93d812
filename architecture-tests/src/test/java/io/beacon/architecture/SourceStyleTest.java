package io.beacon.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The source surface of issue 15 (item 7), checked over the main sources ({@code src/main/java}) of each module
 * in {@link #CHECKED}:
 * <ul>
 *   <li>no inline fully-qualified type name in code ({@code java.util.Map<…>}, {@code io.beacon.x.Y}) outside
 *       {@code package}/{@code import} lines, comments, Javadoc and string literals; a line that needs one because
 *       two types share a simple name carries a {@value #FULL_NAME_MARKER} comment saying so;</li>
 *   <li>imports sorted as the code base writes them: static imports first, then the other imports, each kind in
 *       ascending ASCII order over the whole file (blank lines between groups are allowed);</li>
 *   <li>no unused import: the imported simple name occurs somewhere in the file outside the imports
 *       (a {@code {@link Name}} in Javadoc counts as a use).</li>
 * </ul>
 * The check is textual and deterministic; it does not parse Java beyond comments and literals.
 */
class SourceStyleTest {

    /** Modules whose main sources are checked. */
    static final List<String> CHECKED = List.of(
            "event-model", "ml-models", "http-kit", "dev-stack", "control-plane", "warehouse", "gateway", "streams-topology",
            "analytics", "data-quality", "actor-engine", "abtest", "cdp-connectors", "platform", "load-tests", "dev-launcher");

    /** The comment that allows an inline full name on its line (two types with the same simple name). */
    static final String FULL_NAME_MARKER = "// full name:";

    /** A qualified name whose last part is a type: {@code java.util.List}, {@code org.apache.kafka.common.TopicPartition}. */
    private static final Pattern FULL_NAME = Pattern.compile(
            "(?<![\\w.$])(?:java|javax|jdk|kafka|org|com|io|net)(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z][\\w$]*");

    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();

    @Test
    void shouldFindTheMainSourcesOfEveryCheckedModule() {
        for (String module : CHECKED) {
            assertTrue(!javaFiles(module).isEmpty(), "no main sources under " + PROJECT.resolve(module));
        }
    }

    @Test
    void shouldWriteNoInlineFullyQualifiedName() {
        assertNone(violations(CHECKED, SourceStyleTest::fullNames));
    }

    @Test
    void shouldSortImports() {
        assertNone(violations(CHECKED, SourceStyleTest::importOrder));
    }

    @Test
    void shouldHaveNoUnusedImport() {
        assertNone(violations(CHECKED, SourceStyleTest::unusedImports));
    }

    @Test
    void shouldRecogniseEachViolation() {
        // Given a source with one violation of each kind
        String source = String.join("\n",
                "package a.b;",
                "",
                "import java.util.Map;",
                "import java.util.List;",
                "import java.util.Set;",
                "",
                "/** Uses {@link java.util.Optional} and \"java.util.Fake\". */",
                "class X {",
                "    List<String> names = new java.util.ArrayList<>(); // an inline full name",
                "    String s = \"io.beacon.Not\"; // a string is fine",
                "    java.util.Optional<String> o; " + FULL_NAME_MARKER + " allowed here",
                "    Map<String, String> m;",
                "}");
        Source s = new Source(Path.of("X.java"), source);
        // Then each check names the offending line
        assertEquals(List.of("X.java:9: inline full name java.util.ArrayList"), fullNames(s));
        assertEquals(List.of("X.java:4: import java.util.List out of order (after java.util.Map)"), importOrder(s));
        assertEquals(List.of("X.java:5: unused import java.util.Set"), unusedImports(s));
    }

    // --- the checks -------------------------------------------------------------------------------------------

    static List<String> fullNames(Source s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.lines.size(); i++) {
            String line = s.lines.get(i).strip();
            if (line.startsWith("import ") || line.startsWith("package ") || s.lines.get(i).contains(FULL_NAME_MARKER)) {
                continue;
            }
            Matcher m = FULL_NAME.matcher(s.code.get(i));
            while (m.find()) {
                out.add(s.at(i) + ": inline full name " + m.group());
            }
        }
        return out;
    }

    static List<String> importOrder(Source s) {
        List<String> out = new ArrayList<>();
        String previousStatic = null;
        String previous = null;
        for (int i = 0; i < s.lines.size(); i++) {
            String line = s.lines.get(i).strip();
            if (!line.startsWith("import ")) {
                continue;
            }
            boolean isStatic = line.startsWith("import static ");
            String name = importedName(line);
            if (isStatic) {
                if (previous != null) {
                    out.add(s.at(i) + ": static import " + name + " after the non-static imports");
                } else if (previousStatic != null && name.compareTo(previousStatic) <= 0) {
                    out.add(s.at(i) + ": import static " + name + " out of order (after " + previousStatic + ")");
                }
                previousStatic = name;
            } else {
                if (previous != null && name.compareTo(previous) <= 0) {
                    out.add(s.at(i) + ": import " + name + " out of order (after " + previous + ")");
                }
                previous = name;
            }
        }
        return out;
    }

    static List<String> unusedImports(Source s) {
        List<String> out = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (String line : s.lines) {
            if (!line.strip().startsWith("import ")) {
                rest.append(line).append('\n');
            }
        }
        for (int i = 0; i < s.lines.size(); i++) {
            String line = s.lines.get(i).strip();
            if (!line.startsWith("import ")) {
                continue;
            }
            String name = importedName(line);
            String simple = name.substring(name.lastIndexOf('.') + 1);
            if (simple.equals("*")) {
                continue;
            }
            Pattern use = Pattern.compile("(?<![\\w$])" + Pattern.quote(simple) + "(?![\\w$])");
            if (!use.matcher(rest).find()) {
                out.add(s.at(i) + ": unused import " + name);
            }
        }
        return out;
    }

    static List<String> all(Source s) {
        List<String> out = new ArrayList<>(fullNames(s));
        out.addAll(importOrder(s));
        out.addAll(unusedImports(s));
        return out;
    }

    // --- plumbing ---------------------------------------------------------------------------------------------

    private interface Check {
        List<String> apply(Source s);
    }

    private static List<String> violations(List<String> modules, Check check) {
        List<String> out = new ArrayList<>();
        for (String module : modules) {
            for (Path file : javaFiles(module)) {
                out.addAll(check.apply(Source.read(file)));
            }
        }
        return out;
    }

    private static void assertNone(List<String> violations) {
        assertTrue(violations.isEmpty(), violations.size() + " violation(s):\n" + String.join("\n", violations));
    }

    private static List<Path> javaFiles(String module) {
        Path root = PROJECT.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String importedName(String importLine) {
        String body = importLine.substring("import ".length()).strip();
        if (body.startsWith("static ")) {
            body = body.substring("static ".length()).strip();
        }
        return body.endsWith(";") ? body.substring(0, body.length() - 1).strip() : body;
    }

    /** One source file: its lines as written and as code (comments and literals blanked, line breaks kept). */
    record Source(Path file, List<String> lines, List<String> code) {

        Source(Path file, String text) {
            this(file, text.lines().toList(), blankCommentsAndLiterals(text).lines().toList());
        }

        static Source read(Path file) {
            try {
                return new Source(file, Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String at(int lineIndex) {
            Path shown = file.isAbsolute() && file.startsWith(PROJECT) ? PROJECT.relativize(file) : file;
            return shown + ":" + (lineIndex + 1);
        }

        /** Replaces comments, text blocks, string and char literals by spaces, keeping line breaks. */
        static String blankCommentsAndLiterals(String text) {
            StringBuilder out = new StringBuilder(text.length());
            int n = text.length();
            int i = 0;
            while (i < n) {
                int end;
                if (text.startsWith("//", i)) {
                    end = text.indexOf('\n', i);
                    end = end < 0 ? n : end;
                } else if (text.startsWith("/*", i)) {
                    end = text.indexOf("*/", i + 2);
                    end = end < 0 ? n : end + 2;
                } else if (text.startsWith("\"\"\"", i)) {
                    end = text.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end + 3;
                } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                    char quote = text.charAt(i);
                    end = i + 1;
                    while (end < n && text.charAt(end) != quote && text.charAt(end) != '\n') {
                        end += text.charAt(end) == '\\' ? 2 : 1;
                    }
                    end = Math.min(end + 1, n);
                } else {
                    out.append(text.charAt(i++));
                    continue;
                }
                for (int k = i; k < end; k++) {
                    out.append(text.charAt(k) == '\n' ? '\n' : ' ');
                }
                i = end;
            }
            return out.toString();
        }
    }
}

package io.beacon.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module shape of docs/architecture.md ("Module shape"), checked over the compiled main classes of every
 * module: inside a module no package loop and no file circle, the root package imports nothing else of its
 * module, only HTTP routes import the front door ({@code <module>.runtime}), and no module imports another
 * module's {@code internal} packages. Dependencies are read from the class files (ArchUnit's importer): imports,
 * field and method types, calls; a nested class counts as its top-level file.
 *
 * <p>The loops and circles that existed when this check was written are listed in {@code known-cycles.txt}
 * (a ratchet, issue 15): a loop that is not inside a listed one fails the build at once; a listed one that is
 * gone fails too, so the list only shrinks. The goal is an empty list.
 */
class ModuleShapeTest {

    /** Base package → module; every main class of Beacon lives under one of them. */
    private static final Map<String, String> MODULES = Map.ofEntries(
            Map.entry("io.beacon.event", "event-model"),
            Map.entry("io.beacon.ml", "ml-models"),
            Map.entry("io.beacon.control", "control-plane"),
            Map.entry("io.beacon.abtest", "abtest"),
            Map.entry("io.beacon.cdp", "cdp-connectors"),
            Map.entry("io.beacon.gateway", "gateway"),
            Map.entry("io.beacon.streams", "streams-topology"),
            Map.entry("io.beacon.warehouse", "warehouse"),
            Map.entry("io.beacon.analytics", "analytics"),
            Map.entry("io.beacon.dq", "data-quality"),
            Map.entry("io.beacon.engine", "actor-engine"),
            Map.entry("io.beacon.platform", "platform"),
            Map.entry("io.beacon.devstack", "dev-stack"),
            Map.entry("io.beacon.httpkit", "http-kit"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.beacon");
    }

    @Test
    void shouldFindTheClassesOfTheModules() {
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : classes) {
            module(c).ifPresent(seen::add);
        }
        assertTrue(seen.containsAll(List.of("event-model", "control-plane", "analytics", "warehouse", "actor-engine", "platform")), seen.toString());
    }

    @Test
    void shouldHaveNoPackageLoopInsideAModule() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Dependency d : internalDependencies()) {
            String from = d.getOriginClass().getPackageName();
            String to = d.getTargetClass().getPackageName();
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            graph.computeIfAbsent(to, k -> new TreeSet<>());
            if (!from.equals(to)) {
                graph.get(from).add(to);
            }
        }
        Known.check("package", Cycles.of(graph));
    }

    @Test
    void shouldHaveNoFileCircleInsideAModule() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Dependency d : internalDependencies()) {
            String from = file(d.getOriginClass());
            String to = file(d.getTargetClass());
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            graph.computeIfAbsent(to, k -> new TreeSet<>());
            if (!from.equals(to)) {
                graph.get(from).add(to);
            }
        }
        Known.check("file", Cycles.of(graph));
    }

    @Test
    void shouldNotImportAnotherModulesInternals() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : classes) {
            Optional<String> own = module(c);
            if (own.isEmpty()) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                Optional<String> other = module(d.getTargetClass());
                if (other.isPresent() && !other.equals(own) && isInternal(d.getTargetClass().getPackageName())) {
                    violations.add(file(c) + " -> " + file(d.getTargetClass()));
                }
            }
        }
        assertEquals(Set.of(), violations, "imports of another module's internal packages");
    }

    @Test
    void shouldKeepEachRootPackageFreeOfImportsOfItsOwnSubPackages() {
        Set<String> violations = new TreeSet<>();
        for (Dependency d : internalDependencies()) {
            String base = MODULES.keySet().stream().filter(b -> d.getOriginClass().getPackageName().equals(b)).findFirst().orElse(null);
            if (base != null && d.getTargetClass().getPackageName().startsWith(base + ".")) {
                violations.add(file(d.getOriginClass()) + " -> " + file(d.getTargetClass()));
            }
        }
        assertEquals(Set.of(), violations, "a module's root package holds the shared types and imports nothing else of its module");
    }

    @Test
    void shouldLetOnlyRoutesImportAModulesFrontDoor() {
        Set<String> violations = new TreeSet<>();
        for (Dependency d : internalDependencies()) {
            String from = d.getOriginClass().getPackageName();
            String to = d.getTargetClass().getPackageName();
            if (to.endsWith(".runtime") && !from.equals(to) && !isRoutes(from)) {
                violations.add(file(d.getOriginClass()) + " -> " + file(d.getTargetClass()));
            }
        }
        assertEquals(Set.of(), violations, "only a module's HTTP routes import its front door (<module>.runtime)");
    }

    private static boolean isRoutes(String pkg) {
        return pkg.matches(".*\\.(api|http)(\\..*)?");
    }

    /** Dependencies between two classes of the same module. */
    private static List<Dependency> internalDependencies() {
        List<Dependency> out = new ArrayList<>();
        for (JavaClass c : classes) {
            Optional<String> own = module(c);
            if (own.isEmpty()) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                if (own.equals(module(d.getTargetClass()))) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static Optional<String> module(JavaClass c) {
        String pkg = c.getPackageName();
        return MODULES.entrySet().stream()
                .filter(e -> pkg.equals(e.getKey()) || pkg.startsWith(e.getKey() + "."))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The source file a class is written in, as {@code package.FileName} (nested and secondary classes fold into it). */
    private static String file(JavaClass c) {
        String source = c.getSourceCodeLocation().getSourceFileName();
        if (source != null && source.endsWith(".java")) {
            return c.getPackageName() + "." + source.substring(0, source.length() - ".java".length());
        }
        String name = c.getName();
        int dollar = name.indexOf('$');
        return dollar < 0 ? name : name.substring(0, dollar);
    }

    private static boolean isInternal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    /** The ratchet of {@code known-cycles.txt}: lines {@code package|file: a <-> b <-> …}. */
    static final class Known {
        static void check(String kind, List<String> actual) {
            List<Set<String>> known = new ArrayList<>();
            try (var in = ModuleShapeTest.class.getResourceAsStream("/known-cycles.txt")) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (line.startsWith(kind + ": ")) {
                        known.add(new TreeSet<>(List.of(line.substring(kind.length() + 2).strip().split(" <-> "))));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<Set<String>> found = actual.stream().map(c -> (Set<String>) new TreeSet<>(List.of(c.split(" <-> ")))).toList();
            List<String> fresh = found.stream().filter(c -> known.stream().noneMatch(k -> k.containsAll(c)))
                    .map(c -> String.join(" <-> ", c)).toList();
            assertEquals(List.of(), fresh, "new " + kind + " loops inside a module (each entry: the members of one loop); break them");
            List<String> gone = known.stream().filter(k -> found.stream().noneMatch(k::containsAll))
                    .map(k -> String.join(" <-> ", k)).toList();
            assertEquals(List.of(), gone, kind + " loops listed in architecture-tests/src/test/resources/known-cycles.txt that are gone: "
                    + "delete their lines (the list only shrinks)");
        }
    }

    /** Strongly connected components with more than one node (Tarjan), each as its sorted node names. */
    static final class Cycles {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> low = new TreeMap<>();
        private final List<String> stack = new ArrayList<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<String> found = new ArrayList<>();
        private int next;

        private Cycles(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        static List<String> of(Map<String, Set<String>> graph) {
            Cycles c = new Cycles(graph);
            for (String v : graph.keySet()) {
                if (!c.index.containsKey(v)) {
                    c.visit(v);
                }
            }
            return c.found.stream().sorted().collect(Collectors.toList());
        }

        private void visit(String v) {
            index.put(v, next);
            low.put(v, next);
            next++;
            stack.add(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.remove(stack.size() - 1);
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    found.add(String.join(" <-> ", component));
                }
            }
        }
    }
}

package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserStateReplay;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetBuilder;
import io.beacon.ml.dataset.DatasetCsv;
import io.beacon.ml.label.Cutoffs;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.EventRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./beacon ml dataset} and {@code ml train --task} on a real ClickHouse (18.16 by default, 26.x in the chdb
 * run): the events are stored the way the sink stores them, and the dataset read back through {@link MlEventReader}
 * must equal, byte for byte as CSV, the dataset {@link DatasetBuilder} builds from the same events in memory (the
 * offline vectors are the live state code's, whatever ClickHouse round-trips). Duplicated rows, another project's
 * events, events after the label windows and a group call's traits must not change it.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlDatasetIT {
    private static final String PROJECT = "shop";
    private static final long DAY_MS = 86_400_000L;
    private static final long START = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    private static final Instant AS_OF = Instant.parse("2026-11-10T08:00:00Z");

    @TempDir
    static Path dir;

    private Config config;
    private ClickHouseSettings clickHouse;
    private final List<Event> stored = new ArrayList<>();

    @BeforeAll
    void store(TestStack stack) throws IOException {
        String database = stack.uniqueName("ml_dataset");
        clickHouse = ClickHouseSettings.of(stack.clickhouseHttpUrl(), database);
        try (ClickHouse ch = ClickHouse.connect(clickHouse)) {
            new Migrations(ch).apply();
            Random r = new Random(18);
            for (int p = 0; p < 80; p++) {
                stored.addAll(person(r, p));
            }
            List<String> rows = new ArrayList<>();
            for (Event e : stored) {
                rows.add(EventRows.toJson(e, e.receivedAt()));
            }
            // a replayed copy of every tenth event (FINAL keeps one) and another project's events
            for (int i = 0; i < stored.size(); i += 10) {
                rows.add(EventRows.toJson(stored.get(i), stored.get(i).receivedAt() + 5_000));
            }
            rows.add(EventRows.toJson(event("other", "x1", "u0", "anon-0", EventType.TRACK, "Order Completed", START + DAY_MS, null, Map.of("revenue", 999), Map.of()), 0));
            ch.insertJsonEachRow("events", rows);
        }
        Path devDir = Files.createDirectories(dir.resolve("no-stack"));
        config = ConfigFactory.parseMap(Map.of(ClickHouseSettings.URL, stack.clickhouseHttpUrl(), ClickHouseSettings.DATABASE, database,
                RunState.DEV_STACK_DIR, devDir.toString())).withFallback(ConfigFactory.load());
    }

    /** 40 days of a person: daily sessions with some chance, purchases, an identify with traits; a third stop early. */
    private static List<Event> person(Random r, int p) {
        List<Event> out = new ArrayList<>();
        String person = p % 9 == 0 ? null : "u" + p;
        String anon = "anon-" + p;
        double rate = 0.2 + 0.7 * r.nextDouble();
        int stopDay = p % 3 == 0 ? 5 + r.nextInt(30) : 60;
        int n = 0;
        for (int day = 0; day < 48 && day < stopDay; day++) {
            if (r.nextDouble() >= rate) {
                continue;
            }
            String session = "s-" + p + "-" + day;
            long t = START + day * DAY_MS + 9 * 3_600_000L + r.nextInt(10 * 3_600_000);
            int events = 1 + r.nextInt(4);
            for (int i = 0; i < events; i++) {
                t += 1_000 + r.nextInt(60_000);
                String id = "e-" + p + "-" + n++;
                if (n == 1) {
                    Map<String, Object> traits = new LinkedHashMap<>();
                    traits.put("platform", p % 2 == 0 ? "ios" : "web");
                    traits.put("age", 20 + p);
                    traits.put("$set_once", Map.of("os", "Android"));
                    out.add(event(PROJECT, id, person, anon, EventType.IDENTIFY, "$identify", t, session, Map.of(), traits));
                } else if (r.nextDouble() < 0.15) {
                    Object amount = r.nextBoolean() ? (Object) (5 + r.nextInt(100)) : (5 + r.nextInt(100)) + ".50";
                    out.add(event(PROJECT, id, person, anon, EventType.TRACK, "Order Completed", t, session, Map.of("revenue", amount, "sku", "x"), Map.of()));
                } else if (r.nextDouble() < 0.05) {
                    out.add(event(PROJECT, id, person, anon, EventType.GROUP, "$groupidentify", t, session, Map.of(), Map.of("platform", "android")));
                } else {
                    out.add(event(PROJECT, id, person, anon, EventType.PAGE, "$pageview", t, session, Map.of("path", "/"), Map.of()));
                }
            }
        }
        return out;
    }

    private static Event event(String project, String id, String person, String anon, EventType type, String name, long t, String session,
                               Map<String, Object> properties, Map<String, Object> traits) {
        return new Event(id, project, type, name, person, anon, session, t, t + 700, null, null, "web", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, properties, traits, null, person);
    }

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, MlCommand.execute(args, config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), () -> err.toString(StandardCharsets.UTF_8));
        System.err.print(err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The dataset built in memory from the stored events, the way the command must build it from ClickHouse. */
    private Dataset expected(Task task, FeatureSpec spec) {
        List<Long> cutoffs = Cutoffs.of(Cutoffs.defaultLatest(AS_OF.toEpochMilli(), spec.horizonMs()), 7 * DAY_MS, 3);
        long until = cutoffs.get(2) + spec.horizonMs();
        Map<String, List<Event>> byPerson = new TreeMap<>();
        stored.stream().filter(e -> e.eventTime() <= until)
                .sorted(Comparator.comparing(Event::eventTime).thenComparing(Event::eventId))
                .forEach(e -> byPerson.computeIfAbsent(e.personId() != null ? e.personId() : e.distinctId(), k -> new ArrayList<>()).add(e));
        EngineSettings engine = EngineSettings.fromConfig(config);
        return new DatasetBuilder(spec, new UserStateReplay(engine), engine.revenuePropertyFor(PROJECT)).build(task, byPerson, cutoffs, s -> { });
    }

    private static String csv(Dataset d) throws IOException {
        StringWriter w = new StringWriter();
        DatasetCsv.write(d, w);
        return w.toString();
    }

    @Test
    void shouldExportTheSameChurnDatasetAsTheInMemoryReplayOfTheStoredEvents() throws IOException {
        Path out = dir.resolve("churn.csv");
        String printed = run("dataset", "--task", "churn", "--project", PROJECT, "--as-of", AS_OF.toString(), "--out", out.toString());
        Dataset want = expected(Task.CHURN, ScoringSettings.fromConfig(config).servingSpec());
        assertTrue(want.rows().size() > 150, "rows " + want.rows().size());
        assertTrue(want.rows().stream().anyMatch(r -> r.label() == 1) && want.rows().stream().anyMatch(r -> r.label() == 0));
        assertEquals(csv(want), Files.readString(out));
        assertTrue(printed.startsWith("wrote " + want.rows().size() + " rows x 17 features to " + out), printed);
        assertTrue(printed.contains("2026-10-27T00:00:00Z  holdout"), printed);
    }

    @Test
    void shouldExportTheLtvDatasetWithAnotherHorizonAndQualifyingEvents() throws IOException {
        Path out = dir.resolve("ltv.csv");
        run("dataset", "--task", "ltv", "--project", PROJECT, "--as-of", AS_OF.toString(), "--horizon", "7d", "--qualifying", "Order Completed",
                "--out", out.toString());
        FeatureSpec spec = FeatureSpec.of(List.of("Order Completed"), List.of(), 7 * DAY_MS);
        Dataset want = expected(Task.LTV, spec);
        assertTrue(want.rows().stream().anyMatch(r -> r.label() > 0));
        assertEquals(csv(want), Files.readString(out));
    }

    @Test
    void shouldTrainAVersionThatTheServingSpecLoadsAndListIt() throws Exception {
        Path models = dir.resolve("models");
        String printed = run("train", "--task", "churn", "--project", PROJECT, "--as-of", AS_OF.toString(), "--trainer", "logistic",
                "--model-dir", models.toString());
        ModelStore store = new ModelStore(models);
        List<ModelManifest> versions = store.list();
        assertEquals(1, versions.size());
        ModelManifest m = versions.get(0);
        assertTrue(printed.contains("version " + m.version() + " (in " + models + ")"), printed);
        assertTrue(printed.contains("roc_auc"), printed);
        assertEquals(expected(Task.CHURN, ScoringSettings.fromConfig(config).servingSpec()).olderRows().size(), m.training().trainRows());
        LoadedModel loaded = store.load(m.version(), Task.CHURN, ScoringSettings.fromConfig(config).servingSpec());
        assertEquals(m.version(), loaded.manifest().version());
        String listed = run("list", "--model-dir", models.toString());
        assertTrue(listed.lines().anyMatch(l -> l.startsWith(m.version() + "  churn  logistic  ")), listed);
        assertTrue(listed.contains("1 version(s) in " + models), listed);
    }

    @Test
    void shouldReadTheSameHistoryInPartsByPersonHash() {
        long until = AS_OF.toEpochMilli();
        try (ClickHouse ch = ClickHouse.connect(clickHouse)) {
            Map<String, List<Event>> whole = new TreeMap<>();
            long read = new MlEventReader(ch).read(PROJECT, "revenue", until, whole::putAll, s -> { });
            List<Map<String, List<Event>>> parts = new ArrayList<>();
            long readInParts = new MlEventReader(ch, 1_000).read(PROJECT, "revenue", until, parts::add, s -> { });
            assertEquals(read, readInParts);
            assertEquals(stored.stream().filter(e -> e.eventTime() <= until).count(), read);
            assertTrue(parts.size() >= 3, "parts " + parts.size());
            Map<String, List<Event>> merged = new TreeMap<>();
            for (Map<String, List<Event>> part : parts) {
                for (String person : part.keySet()) {
                    assertTrue(merged.put(person, part.get(person)) == null, person + " spans parts");
                }
            }
            assertEquals(whole, merged);
        }
    }
}

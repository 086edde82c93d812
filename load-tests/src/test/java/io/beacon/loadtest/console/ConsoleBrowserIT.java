package io.beacon.loadtest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.control.project.ProjectKeys;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.BrowserScript;
import io.beacon.devstack.TestStack;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.loadtest.demo.DemoFeeder;
import io.beacon.loadtest.load.LoadReport;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.loadtest.sim.SimEvent;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.train.Training;
import io.beacon.platform.BeaconNode;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web console in a real browser against a whole Beacon node on the real Kafka and ClickHouse, filled
 * through the gateway with the demo's simulated history ({@link DemoFeeder}, what {@code ./beacon up --demo}
 * sends). Debian's headless Chromium, driven by Playwright ({@code console/e2e/console.e2e.mjs}), signs in
 * with the project's secret key and, through the UI only, builds a funnel, a retention table, a broken-down
 * trend and a SQL query, and types malformed input; the script checks every number shown against the API's
 * own answer to the same query and fails on any browser console error or unexpected failed request.
 * Screenshots of each page are written to {@code docs/screenshots/}.
 *
 * <p>It lives in load-tests because that module owns the simulator (platform cannot depend on it). Needs
 * node, Chromium ({@code /usr/bin/chromium}) and the console built ({@code npm ci && npx vite build} in
 * {@code console/}); {@code ./beacon test} does all three. Without them this test fails and says so: it never skips.
 */
@ExtendWith(BeaconStackExtension.class)
class ConsoleBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(600);
    /** The project's zone during the test: +05:30, so a page that assumed UTC or whole-hour offsets would show other days. */
    private static final String ZONE = "Asia/Kolkata";
    private static final Pattern STEP_NAME = Pattern.compile("export const name = '([a-z-]+)'");
    /** ModelWiring.MODEL_DIR (package-private in platform). */
    private static final String MODEL_DIR = "beacon.ml.model-dir";

    @Test
    void shouldShowTheApiAnswersOnEveryConsolePageDrivenInTheBrowser(TestStack stack) throws Exception {
        Path root = repositoryRoot();
        Path consoleDir = root.resolve("console");
        assertTrue(Files.isRegularFile(consoleDir.resolve("dist/index.html")),
                "the console is not built: run 'npm ci && npx vite build' in " + consoleDir + " (./beacon test does)");
        BrowserScript.requireTools(consoleDir);
        String secretKey = ProjectKeys.newSecretKey();
        Path modelDir = Files.createTempDirectory("beacon-console-models-");
        NodeConfig config = NodeConfig.of(stack.uniqueName("console"), "all", stack.bootstrapServers(), stack.clickhouseHttpUrl())
                .with("beacon.bootstrap-project.secret-key", secretKey)
                .with("beacon.console.dir", consoleDir.resolve("dist").toString())
                .with(MODEL_DIR, modelDir.toString());
        // the Models step's versions: two churn models, an LTV model and a churn model whose file was tampered with
        String churnV1 = writeModelVersions(modelDir, ScoringSettings.fromConfig(config.config()).servingSpec());

        try (BeaconNode node = BeaconNode.start(config.config());
             ClickHouse ch = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), config.database()))) {
            node.awaitReady(Duration.ofSeconds(60));
            // the first churn model scores every simulated user as its events arrive (profiles and the score distribution)
            promoteAndAwaitServing(node.httpUrl(), secretKey, churnV1);

            // Given a week of the demo's simulated shop history, sent through the gateway
            List<SimEvent> history = DemoFeeder.history(11, 120, 7, Instant.now());
            LoadReport sent = new DemoFeeder(URI.create(node.httpUrl()), config.writeKey(), Clock.systemUTC())
                    .sendHistory(history, Duration.ofMinutes(3));
            assertEquals(history.size(), sent.eventsAccepted(), sent.toString());
            long stored = awaitCount(ch, "SELECT count() FROM events FINAL", history.size(), Duration.ofSeconds(120));
            assertEquals(history.size(), stored, "every simulated event is in ClickHouse");

            // In a zone that is not UTC and not a whole hour away from it: days, presets and buckets must all follow it
            setProjectZone(node.httpUrl(), config.projectId(), secretKey, ZONE);

            // When the browser drives the console; then every check of the script held
            JsonNode report = JSON.readTree(BrowserScript.run(BROWSER_TIMEOUT, consoleDir.resolve("e2e/console.e2e.mjs"), node.httpUrl(),
                    config.projectId(), secretKey, root.resolve("docs/screenshots").toString()));
            System.out.println("console browser steps: " + report.get("steps") + ", screenshots " + report.get("screenshots"));
            List<String> stepsRun = new ArrayList<>();
            report.get("steps").forEach(step -> stepsRun.add(step.get("name").asText()));
            assertEquals(stepNames(consoleDir.resolve("e2e/steps")), stepsRun, "every step of console/e2e/steps ran, in order");
            for (JsonNode step : report.get("steps")) {
                // every page compares what it shows with the API, and every form is given malformed input
                assertTrue(step.get("checks").asInt() >= 3, "step " + step + " made its checks");
                assertTrue(step.get("fieldErrors").asInt() >= 1, "step " + step + " typed malformed input into its form");
            }
            for (JsonNode c : report.get("checks")) {
                assertTrue(c.get("ok").asBoolean(), c.toString());
            }
            assertEquals(0, report.get("consoleErrors").size(), "browser console errors: " + report.get("consoleErrors"));
            assertEquals(0, report.get("pageErrors").size(), "uncaught page errors: " + report.get("pageErrors"));
            assertEquals(0, report.get("failedRequests").size(), "failed requests: " + report.get("failedRequests"));
            assertEquals(0, report.get("badResponses").size(), "unexpected answers >= 400: " + report.get("badResponses"));
            assertEquals(report.get("fieldErrorsAsked").asInt(), report.get("expectedErrors").size(), "each malformed input was refused once: " + report.get("expectedErrors"));
            for (JsonNode shot : report.get("screenshots")) {
                Path png = root.resolve("docs/screenshots/" + shot.asText() + ".png");
                assertTrue(Files.size(png) > 10_000, png + " written");
            }
        }
    }

    /** Sets the project's time zone through the API and waits until the project reads back with it. */
    private static void setProjectZone(String baseUrl, String projectId, String secretKey, String zone) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(baseUrl + "/api/v1/projects/" + projectId);
        JsonNode project = JSON.readTree(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + secretKey).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String patch = JSON.createObjectNode().put("timezone", zone).put("version", project.get("version").asLong()).toString();
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + secretKey)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, patched.statusCode(), patched.body());
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = "";
        while (!seen.equals(zone) && System.nanoTime() < end) {
            seen = JSON.readTree(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + secretKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("timezone").asText();
            if (!seen.equals(zone)) {
                Thread.sleep(100); // poll interval within the deadline
            }
        }
        assertEquals(zone, seen, "the project's zone changed");
    }

    /**
     * Writes the versions the Models step works with into {@code dir} (Training + ModelStore, as ModelsIT does): churn v1 and
     * v2 (logistic, trained on synthetic rows with different churn thresholds), an LTV model, and a later churn version whose
     * model file has one byte flipped (listed, but refused with MODEL_TAMPERED when promoted).
     *
     * @return churn v1's version
     */
    private static String writeModelVersions(Path dir, FeatureSpec spec) throws IOException {
        ModelStore store = new ModelStore(dir);
        ModelManifest v1 = store.write(Training.train(dataset(spec, Task.CHURN, 10, 1), TrainerKind.LOGISTIC, 42, l -> { }),
                Instant.parse("2026-12-01T00:00:00Z"));
        store.write(Training.train(dataset(spec, Task.CHURN, 5, 2), TrainerKind.LOGISTIC, 42, l -> { }), Instant.parse("2026-12-02T00:00:00Z"));
        store.write(Training.train(dataset(spec, Task.LTV, 0, 3), TrainerKind.LOGISTIC, 42, l -> { }), Instant.parse("2026-12-03T00:00:00Z"));
        ModelManifest tampered = store.write(Training.train(dataset(spec, Task.CHURN, 7, 4), TrainerKind.LOGISTIC, 42, l -> { }),
                Instant.parse("2026-12-04T00:00:00Z"));
        Path file = dir.resolve(tampered.version()).resolve(ModelStore.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        return v1.version();
    }

    /** Synthetic training rows: churn when recency (plus noise) exceeds {@code churnAfterDays}; LTV from the 30-day revenue. */
    private static Dataset dataset(FeatureSpec spec, Task task, double churnAfterDays, long seed) {
        Random r = new Random(seed);
        List<DatasetRow> rows = new ArrayList<>();
        for (int cutoff = 1; cutoff <= 2; cutoff++) {
            for (int i = 0; i < 300; i++) {
                double[] x = new double[spec.size()];
                double recency = r.nextDouble() * 30;
                x[spec.indexOf(FeatureSpec.RECENCY_DAYS)] = recency;
                x[spec.indexOf(FeatureSpec.TENURE_DAYS)] = recency + r.nextDouble() * 60;
                x[spec.indexOf(FeatureSpec.EVENTS_30D)] = 1 + r.nextInt(5);
                x[spec.indexOf(FeatureSpec.REVENUE_30D)] = r.nextInt(4) * 25.0;
                double label = task == Task.CHURN
                        ? (recency + r.nextGaussian() * 2 > churnAfterDays ? 1 : 0)
                        : x[spec.indexOf(FeatureSpec.REVENUE_30D)] * 0.8 + r.nextGaussian();
                rows.add(new DatasetRow("p" + i, cutoff * 86_400_000L, x, label, 0));
            }
        }
        return new Dataset(task, spec, rows);
    }

    /** Promotes {@code version} through the API and waits until this node's engine serves it. */
    private static void promoteAndAwaitServing(String baseUrl, String secretKey, String version) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> promoted = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/models/promote"))
                .header("Authorization", "Bearer " + secretKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("version", version).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, promoted.statusCode(), promoted.body());
        URI models = URI.create(baseUrl + "/api/v1/models");
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String serving = "";
        while (!serving.equals(version) && System.nanoTime() < end) {
            serving = JSON.readTree(http.send(HttpRequest.newBuilder(models).header("Authorization", "Bearer " + secretKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body()).at("/serving/churn/version").asText();
            if (!serving.equals(version)) {
                Thread.sleep(100); // poll interval within the deadline
            }
        }
        assertEquals(version, serving, "the engine serves the promoted churn model");
    }

    /** The names the step modules declare ({@code export const name = '…'}), in file-name order. */
    private static List<String> stepNames(Path stepsDir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(stepsDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mjs")).sorted().toList()) {
                Matcher m = STEP_NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
                assertTrue(m.find(), file + " declares export const name");
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Polls a count until it reaches {@code expected} or the deadline passes; returns the last value. */
    private static long awaitCount(ClickHouse ch, String sql, long expected, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long last = -1;
        while (System.nanoTime() < end) {
            try {
                last = ch.queryLong(sql);
            } catch (RuntimeException notYet) {
                last = -1; // the table is created by the sink's migrations
            }
            if (last >= expected) {
                return last;
            }
            Thread.sleep(250); // poll interval within the deadline
        }
        return last;
    }

    /** The repository root: Maven runs tests in load-tests/. */
    private static Path repositoryRoot() {
        Path cwd = Paths.get("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("console")) ? cwd : cwd.getParent();
    }
}

package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserStateReplay;
import io.beacon.event.Event;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.feature.FeatureExtractor;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.train.Training;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Models end to end on one node (all roles, real Kafka config store, real engine): versions in the model directory
 * are listed with their metrics; a promotion through the API is hot-swapped by the engine (its serving view names
 * the version) and users are scored by it as their events arrive (the profile shows churn_risk with the version);
 * a tampered file, a wrong task and an unknown version are refused with 400 naming the field while the champion keeps
 * serving; a challenger is set; a rollback promotes the replaced version.
 */
@ExtendWith(BeaconStackExtension.class)
class ModelsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldPromoteHotSwapRefuseAndRollBackModelsThroughTheApi(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "models", 0);
        String secret = "sk_" + fx.name + "_test_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        Path dir = Files.createTempDirectory("beacon-models-");
        fx.settings.put(ModelWiring.MODEL_DIR, dir.toString());
        FeatureSpec spec = ScoringSettings.fromConfig(fx.config()).servingSpec();
        ModelStore store = new ModelStore(dir);
        ModelManifest v1 = store.write(Training.train(dataset(spec, Task.CHURN, 10, 1), TrainerKind.LOGISTIC, 42, l -> { }),
                Instant.parse("2026-12-01T00:00:00Z"));
        ModelManifest v2 = store.write(Training.train(dataset(spec, Task.CHURN, 5, 2), TrainerKind.LOGISTIC, 42, l -> { }),
                Instant.parse("2026-12-02T00:00:00Z"));
        ModelManifest ltv = store.write(Training.train(dataset(spec, Task.LTV, 0, 3), TrainerKind.LOGISTIC, 42, l -> { }),
                Instant.parse("2026-12-03T00:00:00Z"));
        ModelManifest tampered = store.write(Training.train(dataset(spec, Task.CHURN, 7, 4), TrainerKind.LOGISTIC, 42, l -> { }),
                Instant.parse("2026-12-04T00:00:00Z"));
        Path tamperedFile = dir.resolve(tampered.version()).resolve(ModelStore.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(tamperedFile);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(tamperedFile, bytes);

        try (BeaconNode node = BeaconNode.start(fx.config())) {
            node.awaitReady(DEADLINE);
            ApiClient api = new ApiClient(node.httpUrl(), secret);

            // Given four versions in the directory, none promoted
            ApiClient.Response list = api.get("/api/v1/models");
            assertEquals(200, list.status(), list.text());
            assertEquals(4, list.body().get("models").size(), list.text());
            assertTrue(list.body().get("models").get(0).get("metrics").has("roc_auc"), list.text());
            assertTrue(list.body().get("engine_on_this_node").asBoolean());
            assertEquals(0, list.body().get("serving").size());

            // When v1 is promoted, the engine serves it within seconds and scores users as their events arrive
            ApiClient.Response promoted = api.post("/api/v1/models/promote", "{\"version\":\"" + v1.version() + "\"}");
            assertEquals(200, promoted.status(), promoted.text());
            assertEquals("churn", promoted.body().get("task").asText());
            await("v1 served", () -> v1.version().equals(api.get("/api/v1/models").body().at("/serving/churn/version").asText()));
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);
            assertEquals(200, load.post("/v1/batch", SegmentLoad.batch(List.of(
                    "{\"type\":\"track\",\"event\":\"visit\",\"userId\":\"u1\",\"messageId\":\"m1\",\"timestamp\":\"" + Instant.now() + "\"}"))));
            JsonNode[] profile = new JsonNode[1];
            await("u1 scored by v1", () -> {
                ApiClient.Response p = api.get("/api/v1/users/u1");
                profile[0] = p.body();
                return p.status() == 200 && p.body().at("/scores/churn_risk/model_version").asText().equals(v1.version());
            });
            double risk = profile[0].at("/scores/churn_risk/value").asDouble();
            assertTrue(risk >= 0 && risk <= 1, profile[0].toString());
            assertTrue(profile[0].at("/scores/churn_risk/top_features").size() > 0, profile[0].toString());

            // Then refusals change nothing: tampered, wrong task, unknown, malformed
            ApiClient.Response bad = api.post("/api/v1/models/promote", "{\"version\":\"" + tampered.version() + "\"}");
            assertEquals(400, bad.status(), bad.text());
            assertEquals("MODEL_TAMPERED", bad.body().at("/error/code").asText(), bad.text());
            assertEquals("version", bad.body().at("/error/field").asText());
            ApiClient.Response wrongTask = api.post("/api/v1/models/promote", "{\"version\":\"" + ltv.version() + "\",\"task\":\"churn\"}");
            assertEquals(400, wrongTask.status(), wrongTask.text());
            assertEquals("MODEL_WRONG_TASK", wrongTask.body().at("/error/code").asText(), wrongTask.text());
            assertEquals("task", wrongTask.body().at("/error/field").asText());
            ApiClient.Response unknown = api.post("/api/v1/models/promote", "{\"version\":\"churn-nope\"}");
            assertEquals("MODEL_NOT_FOUND", unknown.body().at("/error/code").asText(), unknown.text());
            ApiClient.Response escape = api.post("/api/v1/models/promote", "{\"version\":\"../../etc\"}");
            assertEquals(400, escape.status(), escape.text());
            assertEquals("version", escape.body().at("/error/field").asText());
            assertEquals(400, api.post("/api/v1/models/promote", "{\"version\":").status());
            JsonNode after = api.get("/api/v1/models").body();
            assertEquals(v1.version(), after.at("/promotions/churn/version").asText(), "refusals wrote nothing");
            assertEquals(v1.version(), after.at("/serving/churn/version").asText());

            // a challenger for half the users, then v2 promoted (the challenger wins), then a rollback to v1
            ApiClient.Response challenger = api.post("/api/v1/models/challenger", "{\"version\":\"" + v2.version() + "\",\"share\":0.5}");
            assertEquals(200, challenger.status(), challenger.text());
            await("challenger served", () -> v2.version().equals(api.get("/api/v1/models").body().at("/serving/churn/challenger_version").asText()));
            assertEquals(400, api.post("/api/v1/models/challenger", "{\"version\":\"" + v2.version() + "\",\"share\":2}").status());
            assertEquals(200, api.post("/api/v1/models/promote", "{\"version\":\"" + v2.version() + "\"}").status());
            await("v2 served", () -> v2.version().equals(api.get("/api/v1/models").body().at("/serving/churn/version").asText()));
            ApiClient.Response back = api.post("/api/v1/models/rollback", "{\"task\":\"churn\"}");
            assertEquals(200, back.status(), back.text());
            assertEquals(v1.version(), back.body().get("version").asText());
            assertEquals(v2.version(), back.body().get("previous_version").asText());
            await("rolled back to v1", () -> v1.version().equals(api.get("/api/v1/models").body().at("/serving/churn/version").asText()));
            ApiClient.Response noPrevious = api.post("/api/v1/models/rollback", "{\"task\":\"ltv\"}");
            assertEquals(400, noPrevious.status(), noPrevious.text());
            assertEquals("NO_PREVIOUS_VERSION", noPrevious.body().at("/error/code").asText());
            ApiClient.Response one = api.get("/api/v1/models/" + v1.version());
            assertEquals("champion", one.body().get("role").asText(), one.text());
            assertTrue(one.body().at("/evaluation/calibration").size() > 0, one.text());
        }
    }

    /**
     * Training/serving skew ("Done when" 1): events go through the gateway, the topology and the sink into ClickHouse
     * and through the engine; for each user the engine's online feature vector as of T equals the offline one built from
     * ClickHouse's rows by the training path (MlEventReader → UserStateReplay → FeatureExtractor), feature by feature.
     */
    @Test
    void shouldComputeTheSameFeatureVectorOnlineAndFromClickHouseHistory(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "skew", 0);
        String secret = "sk_" + fx.name + "_test_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        String project = fx.settings.get("beacon.bootstrap-project.id");
        FeatureSpec spec = ScoringSettings.fromConfig(fx.config()).servingSpec();
        EngineSettings engineSettings = EngineSettings.fromConfig(fx.config());
        String revenue = engineSettings.revenuePropertyFor(project);
        long now = System.currentTimeMillis();
        // five users, events over the last 20 days: sessions, purchases with revenue (numbers and numeric text),
        // a platform trait, one user past a week of silence, one event dated in the future (client clock)
        Random r = new Random(7);
        List<String> items = new ArrayList<>();
        int[] perUser = new int[5];
        for (int u = 0; u < 5; u++) {
            int n = 5 + r.nextInt(20);
            for (int k = 0; k < n; k++) {
                long t = now - (long) (r.nextDouble() * (u == 4 ? 6 : 20) * 86_400_000L) - (u == 4 ? 8 * 86_400_000L : 0);
                if (u == 3 && k == 0) {
                    t = now + 3_600_000L;
                }
                String event = k % 4 == 0 ? "Order Completed" : k % 3 == 0 ? "Product Viewed" : "visit";
                String props = event.equals("Order Completed")
                        ? ",\"properties\":{\"" + revenue + "\":" + (k % 8 == 0 ? "\"" + (10 + k) + ".5\"" : Integer.toString(20 + k)) + "}"
                        : "";
                items.add("{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"skew-" + u + "\",\"messageId\":\"s" + u + "-" + k
                        + "\",\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\",\"context\":{\"os\":{\"name\":\"" + (u % 2 == 0 ? "iOS" : "Android")
                        + "\"},\"sessionId\":\"sess-" + u + "-" + (k / 3) + "\"}" + props + "}");
                perUser[u]++;
            }
        }
        int total = items.size();
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            node.awaitReady(DEADLINE);
            ApiClient api = new ApiClient(node.httpUrl(), secret);
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);
            assertEquals(200, load.post("/v1/batch", SegmentLoad.batch(items)));
            long asOf = now + 2 * 3_600_000L;
            await("all events in ClickHouse", () -> ch.queryLong(MlEventReader.countSql(project, asOf)) == total);
            for (int u = 0; u < 5; u++) {
                String id = "skew-" + u;
                int expected = perUser[u];
                await(id + " applied by the engine", () -> {
                    ApiClient.Response f = api.get("/api/v1/users/" + id + "/features?as_of_ms=" + asOf);
                    return f.status() == 200 && f.body().at("/features/" + FeatureSpec.EVENTS_ALL).asDouble() == expected;
                });
            }
            Map<String, List<Event>> history = MlEventReader.parse(ch.queryText(MlEventReader.selectSql(project, revenue, asOf, 0, 1)),
                    project, revenue);
            FeatureExtractor extractor = new FeatureExtractor(spec);
            UserStateReplay replay = new UserStateReplay(engineSettings);
            for (int u = 0; u < 5; u++) {
                String id = "skew-" + u;
                JsonNode online = api.get("/api/v1/users/" + id + "/features?as_of_ms=" + asOf).body();
                assertEquals(spec.fingerprint(), online.get("feature_fingerprint").asText());
                double[] offline = extractor.extract(replay.replay(history.get(id), asOf), asOf);
                for (int i = 0; i < spec.size(); i++) {
                    String name = spec.featureNames().get(i);
                    assertEquals(offline[i], online.at("/features/" + name).asDouble(), 0.0, id + ": feature " + name + " online vs offline");
                }
            }
            // bad input: a malformed time and an unknown user
            assertEquals("as_of_ms", api.get("/api/v1/users/skew-0/features?as_of_ms=soon").body().at("/error/field").asText());
            assertEquals(404, api.get("/api/v1/users/nobody/features").status());
        }
    }

    /** Rows whose churn label follows recency (switching at {@code churnAfterDays}); LTV follows 30-day revenue. */
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
                rows.add(new DatasetRow("p" + i, cutoff * 1_000_000L, x, label, 0));
            }
        }
        return new Dataset(task, spec, rows);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100); // poll interval within the deadline
        }
    }
}

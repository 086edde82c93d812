package io.beacon.ml.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.ml.EventListState;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.ModelRefusedException;
import io.beacon.ml.Synthetic;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetBuilder;
import io.beacon.ml.train.TrainedModel;
import io.beacon.ml.train.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    static TrainedModel churn;
    static Dataset data;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        data = new DatasetBuilder(Synthetic.spec(), EventListState.REPLAY, "revenue").build(Task.CHURN, Synthetic.people(300, 3), Synthetic.cutoffs(), s -> { });
        churn = Training.train(data, TrainerKind.LOGISTIC, 42, s -> { });
    }

    String refusal(ModelStore store, String version, Task task, FeatureSpec spec) {
        return assertThrows(ModelRefusedException.class, () -> store.load(version, task, spec)).code();
    }

    @Test
    void shouldWriteListAndLoadAVersionThatPredictsAsBefore() throws Exception {
        ModelStore store = new ModelStore(dir);
        ModelManifest m = store.write(churn, Instant.parse("2026-12-07T10:15:30Z"));
        assertTrue(m.version().startsWith("churn-logistic-20261207-101530-"), m.version());
        assertTrue(Files.isRegularFile(dir.resolve(m.version()).resolve(ModelStore.MODEL_FILE)));
        assertEquals(List.of(m.version()), store.list().stream().map(ModelManifest::version).toList());
        assertEquals(churn.evaluation().metrics(), store.list().get(0).evaluation().metrics());
        LoadedModel loaded = store.load(m.version(), Task.CHURN, Synthetic.spec());
        double[] x = data.rows().get(0).features();
        assertEquals(churn.predictor().predict(x), loaded.predictor().predict(x), 1e-12);
        assertEquals(42, loaded.manifest().training().seed());
    }

    @Test
    void shouldListNewestFirst() throws Exception {
        ModelStore store = new ModelStore(dir);
        ModelManifest older = store.write(churn, Instant.parse("2026-12-01T00:00:00Z"));
        ModelManifest newer = store.write(churn, Instant.parse("2026-12-02T00:00:00Z"));
        assertEquals(List.of(newer.version(), older.version()), store.list().stream().map(ModelManifest::version).toList());
    }

    @Test
    void shouldRefuseAnUnknownVersion() {
        assertEquals("model_not_found", refusal(new ModelStore(dir), "churn-logistic-1", Task.CHURN, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAnUnparseableManifestOrModel() throws Exception {
        ModelStore store = new ModelStore(dir);
        String v = store.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        Files.writeString(dir.resolve(v).resolve(ModelStore.MANIFEST_FILE), "{ not json");
        assertEquals("model_corrupt", refusal(store, v, Task.CHURN, Synthetic.spec()));

        String w = store.write(churn, Instant.parse("2026-12-08T00:00:00Z")).version();
        byte[] junk = "these bytes are no protobuf model".getBytes();
        Files.write(dir.resolve(w).resolve(ModelStore.MODEL_FILE), junk);
        Path manifest = dir.resolve(w).resolve(ModelStore.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace(store.list().stream().filter(x -> x.version().equals(w)).findFirst().orElseThrow().modelSha256(),
                ModelStore.sha256(junk)));
        assertEquals("model_corrupt", refusal(store, w, Task.CHURN, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAModelWhoseBytesChanged() throws Exception {
        ModelStore store = new ModelStore(dir);
        String v = store.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        Path model = dir.resolve(v).resolve(ModelStore.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 1;
        Files.write(model, bytes);
        assertEquals("model_tampered", refusal(store, v, Task.CHURN, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAManifestWhoseFeatureListNoLongerMatchesItsFingerprint() throws Exception {
        ModelStore store = new ModelStore(dir);
        String v = store.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        Path manifest = dir.resolve(v).resolve(ModelStore.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("\"recency_days\"", "\"recency_hours\""));
        assertEquals("model_tampered", refusal(store, v, Task.CHURN, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAModelOfAnotherTask() throws Exception {
        ModelStore store = new ModelStore(dir);
        String v = store.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        assertEquals("model_wrong_task", refusal(store, v, Task.LTV, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAModelTrainedOnOtherFeatures() throws Exception {
        ModelStore store = new ModelStore(dir);
        String v = store.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        FeatureSpec serving = FeatureSpec.of(List.of("app_open"), List.of("app_open", "purchase", "share"), FeatureSpec.DEFAULT_HORIZON_MS);
        assertEquals("model_incompatible_features", refusal(store, v, Task.CHURN, serving));
    }

    @Test
    void shouldRefuseAVersionIdThatLeavesTheDirectory() {
        ModelStore store = new ModelStore(dir.resolve("models"));
        assertEquals("model_outside_dir", refusal(store, "../models", Task.CHURN, Synthetic.spec()));
        assertEquals("model_outside_dir", refusal(store, "/etc/passwd", Task.CHURN, Synthetic.spec()));
        assertEquals("model_outside_dir", refusal(store, "Churn_1", Task.CHURN, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAVersionThatIsALinkOutOfTheDirectory() throws Exception {
        ModelStore elsewhere = new ModelStore(dir.resolve("elsewhere"));
        String v = elsewhere.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.createSymbolicLink(models.resolve(v), dir.resolve("elsewhere").resolve(v));
        assertEquals("model_outside_dir", refusal(new ModelStore(models), v, Task.CHURN, Synthetic.spec()));
    }

    @Test
    void shouldRefuseAModelFileThatIsALinkOutOfItsVersion() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("models"));
        String v = store.write(churn, Instant.parse("2026-12-07T00:00:00Z")).version();
        Path model = dir.resolve("models").resolve(v).resolve(ModelStore.MODEL_FILE);
        Path outside = dir.resolve("outside.tribuo");
        Files.move(model, outside);
        Files.createSymbolicLink(model, outside);
        assertEquals("model_outside_dir", refusal(store, v, Task.CHURN, Synthetic.spec()));
    }
}

package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.scoring.TinyModels;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {
    @TempDir
    static Path dir;
    static ModelStore store;
    static ModelManifest v1;
    static ModelManifest v2;
    static ModelManifest tampered;
    static ModelManifest ltv;

    @BeforeAll
    static void writeModels() throws Exception {
        store = new ModelStore(dir);
        v1 = TinyModels.writeChurn(store, 10, Instant.parse("2026-11-01T00:00:00Z"));
        v2 = TinyModels.writeChurn(store, 20, Instant.parse("2026-11-02T00:00:00Z"));
        tampered = TinyModels.writeChurn(store, 15, Instant.parse("2026-11-03T00:00:00Z"));
        Path file = dir.resolve(tampered.version()).resolve(ModelStore.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        ltv = TinyModels.writeLtv(store, Instant.parse("2026-11-04T00:00:00Z"));
    }

    private static ModelCatalog catalog() {
        return new ModelCatalog(store, ModelCatalog.ServingSpecs.fixed(TinyModels.SPEC),
                ScoringSettings.defaults().withServingSpec(TinyModels.SPEC), () -> 1_000L);
    }

    private static String champion(ModelCatalog c, String project) {
        return c.forProject(project).orElseThrow().task(Task.CHURN).orElseThrow().championVersion();
    }

    @Test
    void shouldSwapTheChampionOnPromotionAndBackOnRollback() {
        ModelCatalog c = catalog();
        assertEquals(Optional.empty(), c.forProject("shop"));

        assertEquals(Optional.empty(), c.promote("shop", Task.CHURN, v1.version()));
        assertEquals(v1.version(), champion(c, "shop"));
        assertEquals(0.7, c.forProject("shop").orElseThrow().task(Task.CHURN).orElseThrow().threshold().getAsDouble());
        c.promote("shop", Task.CHURN, v2.version());
        assertEquals(v2.version(), champion(c, "shop"));
        c.promote("shop", Task.CHURN, v1.version());
        assertEquals(v1.version(), champion(c, "shop"), "rollback = promote the older one");
        assertEquals(Optional.empty(), c.forProject("other"), "per project");
    }

    @Test
    void shouldKeepThePreviousModelWhenOneIsRefusedAndTellWhy() {
        ModelCatalog c = catalog();
        c.promote("shop", Task.CHURN, v1.version());

        ModelCatalog.Refusal r = c.promote("shop", Task.CHURN, tampered.version()).orElseThrow();
        assertEquals("model_tampered", r.code());
        assertEquals(tampered.version(), r.version());
        assertEquals(1_000L, r.atMs());
        assertEquals(v1.version(), champion(c, "shop"));
        assertEquals("model_wrong_task", c.promote("shop", Task.CHURN, ltv.version()).orElseThrow().code());
        assertEquals("model_not_found", c.promote("shop", Task.CHURN, "churn-logistic-19990101-000000-00000000").orElseThrow().code());
        assertEquals("model_outside_dir", c.promote("shop", Task.CHURN, "../elsewhere").orElseThrow().code());
        assertEquals(v1.version(), champion(c, "shop"));
        assertEquals(4, c.refusals());
        assertEquals("model_outside_dir", c.lastRefusal().orElseThrow().code());
    }

    @Test
    void shouldRefuseAModelTrainedOnOtherFeaturesThanTheServingSpec() {
        FeatureSpec other = FeatureSpec.of(List.of(), List.of("purchase"), FeatureSpec.DEFAULT_HORIZON_MS);
        ModelCatalog c = new ModelCatalog(store, ModelCatalog.ServingSpecs.fixed(other), ScoringSettings.defaults(), () -> 5L);

        assertEquals("model_incompatible_features", c.promote("shop", Task.CHURN, v1.version()).orElseThrow().code());
        assertEquals(Optional.empty(), c.forProject("shop"));
    }

    @Test
    void shouldServeAChallengerBesideTheChampionAndStopATask() {
        ModelCatalog c = catalog();
        assertEquals(Optional.empty(), c.apply("shop", Task.CHURN, v1.version(), v2.version(), 0.25));
        assertEquals(Map.of(Task.CHURN, new ModelCatalog.Active(v1.version(), v2.version(), 0.25)), c.active("shop"));
        assertEquals("model_tampered", c.apply("shop", Task.CHURN, v2.version(), tampered.version(), 0.5).orElseThrow().code());
        assertEquals(Map.of(Task.CHURN, new ModelCatalog.Active(v1.version(), v2.version(), 0.25)), c.active("shop"),
                "a refused challenger changes nothing, not even the champion");
        assertEquals("challenger_share_invalid", c.apply("shop", Task.CHURN, v1.version(), v2.version(), 1.5).orElseThrow().code());
        c.promote("shop", Task.LTV, ltv.version());
        assertEquals(2, c.active("shop").size());

        c.apply("shop", Task.CHURN, null, null, 0);
        assertEquals(Map.of(Task.LTV, new ModelCatalog.Active(ltv.version(), null, 0)), c.active("shop"));
        c.apply("shop", Task.LTV, null, null, 0);
        assertTrue(c.forProject("shop").isEmpty());
    }
}

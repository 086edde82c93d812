package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.assignment.InMemoryStickyBucketStore;
import io.beacon.abtest.assignment.SegmentLookup;
import io.beacon.abtest.assignment.SegmentsUnavailableException;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentStatus;
import io.beacon.abtest.experiment.Targeting;
import io.beacon.abtest.experiment.Variation;
import io.beacon.abtest.hashing.GrowthBookHash;
import io.beacon.abtest.runtime.Abtest;
import io.beacon.abtest.runtime.AbtestSettings;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** posthog-js {@code /flags} of experiments that target segments: memberships from the lookup port, failures thrown. */
class AbtestFeatureFlagsSegmentsTest {
    private final List<String> lookedUp = new CopyOnWriteArrayList<>();
    private Abtest abtest;
    private AbtestFeatureFlags flags;

    @BeforeEach
    void start() {
        InMemoryConfigStore store = new InMemoryConfigStore();
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.bootstrapProject("shop", "Shop", "wk_shop_0123456789abcdef", "sk_shop_0123456789abcdef");
        SegmentLookup lookup = (project, unit) -> {
            lookedUp.add(unit);
            return unit.startsWith("down") ? CompletableFuture.failedFuture(new IllegalStateException("moving"))
                    : CompletableFuture.completedFuture(unit.startsWith("buyer") ? Set.of("buyers") : Set.of());
        };
        abtest = new Abtest(store, projects, new InMemoryStickyBucketStore(), envs -> CompletableFuture.completedFuture(null),
                sql -> new AnalyticsQueries.Rows(List.of(), List.of()), lookup, AbtestSettings.DEFAULTS, () -> 1_000L);
        abtest.catalog().create("shop", new Experiment("vip", null, null, ExperimentStatus.RUNNING,
                List.of(new Variation("control", null, null), new Variation("vip", null, null)), null, null, null, null, null, null,
                null, null, new Targeting(null, List.of("buyers")), null, null, null, null, null)).toCompletableFuture().join();
        flags = new AbtestFeatureFlags(false);
        flags.attach(abtest);
    }

    @AfterEach
    void stop() {
        abtest.close();
    }

    @Test
    void shouldServeTheFlagToSegmentMembersOnly() {
        String expected = GrowthBookHash.hash("vip", "buyer-1", 2).orElseThrow() < 0.5 ? "control" : "vip";

        assertEquals(Map.of("vip", expected), flags.flagsFor("shop", "buyer-1", Map.of()));
        assertEquals(Map.of(), flags.flagsFor("shop", "visitor-1", Map.of()));
        // a scalar "segments" person property cannot list segments: the lookup still decides
        assertEquals(Map.of(), flags.flagsFor("shop", "visitor-2", Map.of("segments", "buyers")));
        assertEquals(List.of("buyer-1", "visitor-1", "visitor-2"), lookedUp);
    }

    @Test
    void shouldThrowWhenTheMembershipsCannotBeRead() {
        SegmentsUnavailableException e = assertThrows(SegmentsUnavailableException.class,
                () -> flags.flagsFor("shop", "down-1", Map.of()));

        assertEquals(List.of("vip"), e.experiments());
    }
}

package io.beacon.abtest.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.experiment.ExperimentFixtures;
import io.beacon.abtest.exposure.ExposureEvents;
import io.beacon.abtest.exposure.ExposureLogger;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AssignmentServiceTest {
    private static final ObjectMapper M = new ObjectMapper();
    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final ExperimentCatalog catalog = new ExperimentCatalog(store, () -> 1_000L);
    private final List<RawEnvelope> logged = new ArrayList<>();
    private final InMemoryStickyBucketStore sticky = new InMemoryStickyBucketStore();
    private final AssignmentService service = new AssignmentService(catalog, sticky,
            new ExposureLogger(envs -> {
                logged.addAll(envs);
                return CompletableFuture.completedFuture(null);
            }, () -> 2_000L, 0), true);

    private static ObjectNode user(String id) {
        return M.createObjectNode().put("user_id", id);
    }

    @Test
    void shouldKeepUnitsInTheirVariationWhenWeightsChange() {
        catalog.create("p", ExperimentFixtures.weighted("w", 0.5)).toCompletableFuture().join();
        Map<String, String> before = new java.util.HashMap<>();
        for (int i = 0; i < 500; i++) {
            before.put("u" + i, service.assign("p", user("u" + i), Map.of(), null, false).get(0).variationKey());
        }
        // When the control's weight drops to 10 %
        catalog.update("p", "w", 1, ExperimentFixtures.weighted("w", 0.1)).toCompletableFuture().join();
        int moved = 0;
        for (int i = 0; i < 500; i++) {
            Assignment a = service.assign("p", user("u" + i), Map.of(), null, false).get(0);
            assertTrue(a.stickyBucketUsed());
            moved += a.variationKey().equals(before.get("u" + i)) ? 0 : 1;
        }
        // Then nobody moved, while new units follow the new weights
        assertEquals(0, moved);
        int control = 0;
        for (int i = 0; i < 2000; i++) {
            control += service.assign("p", user("new" + i), Map.of(), null, false).get(0).variationIndex() == 0 ? 1 : 0;
        }
        assertEquals(0.1, control / 2000.0, 0.03);
    }

    @Test
    void shouldReassignEveryoneAfterRerandomizing() {
        catalog.create("p", ExperimentFixtures.twoWay("r", io.beacon.abtest.experiment.ExperimentStatus.RUNNING)).toCompletableFuture().join();
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            first.add(service.assign("p", user("u" + i), Map.of(), null, false).get(0).variationIndex());
        }
        Experiment after = catalog.rerandomize("p", "r", 1, false).toCompletableFuture().join().value();
        assertEquals(1, after.bucketVersion());
        int changed = 0;
        for (int i = 0; i < 400; i++) {
            Assignment a = service.assign("p", user("u" + i), Map.of(), null, false).get(0);
            assertFalse(a.stickyBucketUsed());
            changed += a.variationIndex() == first.get(i) ? 0 : 1;
        }
        // about half move under a fresh seed
        assertTrue(changed > 120 && changed < 280, "changed " + changed);
    }

    @Test
    void shouldLogOneValidExposureEventPerServedAssignmentWithADeterministicId() {
        catalog.create("p", ExperimentFixtures.twoWay("e", io.beacon.abtest.experiment.ExperimentStatus.RUNNING)).toCompletableFuture().join();
        Assignment a = service.assign("p", user("alice"), Map.of(), null, true).get(0);
        service.assign("p", user("alice"), Map.of("e", 1), null, true); // forced: QA, not logged
        assertEquals(1, logged.size());
        RawEnvelope env = logged.get(0);
        assertEquals(ExposureEvents.eventId("p", "e", "alice", a.variationKey()), env.eventId());
        MappingResult mapped = EventMapper.map(env);
        assertTrue(mapped instanceof MappingResult.Mapped, mapped.toString());
        var event = ((MappingResult.Mapped) mapped).event();
        assertEquals("$experiment_exposure", event.eventName());
        assertEquals("alice", event.distinctId());
        assertEquals(2_000L, event.eventTime());
        assertEquals("e", event.properties().get("experiment_key"));
        assertEquals(a.variationKey(), event.properties().get("variation_key"));
    }

    @Test
    void shouldOnlyAnswerForRunningExperiments() {
        catalog.create("p", ExperimentFixtures.twoWay("draft", io.beacon.abtest.experiment.ExperimentStatus.DRAFT)).toCompletableFuture().join();
        assertTrue(service.assign("p", user("u"), Map.of(), null, true).isEmpty());
        catalog.update("p", "draft", 1, ExperimentFixtures.twoWay("draft", io.beacon.abtest.experiment.ExperimentStatus.RUNNING))
                .toCompletableFuture().join();
        assertEquals(1, service.assign("p", user("u"), Map.of(), null, true).size());
        assertEquals(1_000L, catalog.get("p", "draft").orElseThrow().value().startTime());
    }
}

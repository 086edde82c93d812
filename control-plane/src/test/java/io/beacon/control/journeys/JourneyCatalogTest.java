package io.beacon.control.journeys;

import static io.beacon.control.journeys.JourneyFixtures.graph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.store.InMemoryConfigStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyCatalogTest {
    private final InMemoryConfigStore store = new InMemoryConfigStore();

    private void write(String project, String id, String status, int priority, long expectedVersion) {
        ObjectNode body = graph("a", "{\"a\":{\"type\":\"exit\"}}");
        body.put("status", status);
        body.put("priority", priority);
        JourneyDefinition d = JourneyJson.parse(project, id, body, JourneyContext.unchecked());
        store.put(d.key(), JourneyJson.toDocument(d), expectedVersion);
    }

    private static List<String> ids(List<JourneyDefinition> journeys) {
        return journeys.stream().map(JourneyDefinition::id).toList();
    }

    @Test
    void shouldListTheLiveJourneysOfAProjectHighestPriorityFirst() {
        write("shop", "low", "live", 0, 0);
        write("shop", "high", "live", 10, 0);
        write("shop", "also_low", "live", 0, 0);
        write("shop", "draft", "draft", 99, 0);
        write("shop", "paused", "paused", 99, 0);
        write("other", "x", "live", 0, 0);

        try (JourneyCatalog catalog = new JourneyCatalog(store)) {
            assertEquals(List.of("high", "also_low", "low"), ids(catalog.live("shop")));
            assertEquals(List.of("x"), ids(catalog.live("other")));
            assertEquals(List.of(), catalog.live("empty"));
            assertEquals(JourneyStatus.PAUSED, catalog.journey("shop", "paused").orElseThrow().status());
            assertEquals(1, catalog.journey("shop", "high").orElseThrow().version());
        }
    }

    @Test
    void shouldFollowChangesAndTellSubscribersTheProject() throws Exception {
        List<String> changed = new ArrayList<>();
        try (JourneyCatalog catalog = new JourneyCatalog(store); AutoCloseable sub = catalog.onChange(changed::add)) {
            write("shop", "j", "draft", 0, 0);
            assertEquals(List.of(), catalog.live("shop"));

            write("shop", "j", "live", 0, 1);
            assertEquals(List.of("j"), ids(catalog.live("shop")));

            store.delete(JourneyDefinition.key("shop", "j"), 2);
            assertEquals(List.of(), catalog.live("shop"));
            assertTrue(catalog.journey("shop", "j").isEmpty());
            assertEquals(List.of("shop", "shop", "shop"), changed);
        }
    }

    @Test
    void shouldSkipAnUnreadableDocument() {
        store.put(JourneyDefinition.key("shop", "broken"), JourneyFixtures.object("{\"name\":\"B\"}"), 0);
        write("shop", "ok", "live", 0, 0);

        try (JourneyCatalog catalog = new JourneyCatalog(store)) {
            assertEquals(List.of("ok"), ids(catalog.live("shop")));
            assertTrue(catalog.journey("shop", "broken").isEmpty());
        }
    }
}

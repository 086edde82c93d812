package io.beacon.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigViewTest {
    private static final ConfigKey KEY = ConfigKey.of("event", "p1", "Signed Up");

    private static JsonNode doc(long version, String owner) {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("owner", owner);
        return ConfigView.versioned(d, version);
    }

    @Test
    void shouldAcceptTheFirstRecordAtTheNextVersionAndIgnoreALaterOneWithTheSameBase() {
        ConfigView view = new ConfigView();
        view.apply(KEY, doc(1, "base"));
        ConfigView.Outcome winner = view.apply(KEY, doc(2, "alice"));
        ConfigView.Outcome loser = view.apply(KEY, doc(2, "bob"));

        assertInstanceOf(ConfigView.Outcome.Applied.class, winner);
        assertInstanceOf(ConfigView.Outcome.Ignored.class, loser);
        assertEquals("alice", view.get(KEY).orElseThrow().document().get("owner").asText());
        assertEquals(2, view.visibleVersion(KEY));
    }

    @Test
    void shouldIgnoreARecordThatSkipsAVersion() {
        ConfigView view = new ConfigView();
        view.apply(KEY, doc(1, "base"));
        assertInstanceOf(ConfigView.Outcome.Ignored.class, view.apply(KEY, doc(3, "jump")));
        assertEquals(1, view.visibleVersion(KEY));
    }

    @Test
    void shouldNeedRepairAfterALosingRecordUntilTheWinnerIsRestated() {
        ConfigView view = new ConfigView();
        view.apply(KEY, doc(1, "alice"));
        view.apply(KEY, doc(1, "bob"));
        assertTrue(view.needsRepair(KEY));

        view.apply(KEY, view.repairValue(KEY));

        assertFalse(view.needsRepair(KEY));
        assertEquals("alice", view.get(KEY).orElseThrow().document().get("owner").asText());
    }

    @Test
    void shouldMakeAFreshViewOfTheCompactedLogEqualTheLiveView() {
        // Given a log with a conflict, its repair, an update and a delete of another key
        ConfigKey other = ConfigKey.of("event", "p1", "Other");
        List<Map.Entry<ConfigKey, JsonNode>> log = new ArrayList<>();
        ConfigView live = new ConfigView();
        append(live, log, KEY, doc(1, "alice"));
        append(live, log, KEY, doc(1, "bob"));
        append(live, log, KEY, live.repairValue(KEY));
        append(live, log, KEY, doc(2, "carol"));
        append(live, log, other, doc(1, "x"));
        append(live, log, other, ConfigView.deletionMarker(2));
        append(live, log, other, null);

        // When the log is compacted (last record per key) and read by a fresh view
        Map<ConfigKey, JsonNode> compacted = new LinkedHashMap<>();
        log.forEach(e -> {
            compacted.remove(e.getKey());
            compacted.put(e.getKey(), e.getValue());
        });
        ConfigView fresh = new ConfigView();
        compacted.forEach(fresh::apply);

        // Then both views hold the same documents
        assertEquals(live.all(), fresh.all());
        assertEquals("carol", fresh.get(KEY).orElseThrow().document().get("owner").asText());
    }

    private static void append(ConfigView view, List<Map.Entry<ConfigKey, JsonNode>> log, ConfigKey key, JsonNode value) {
        view.apply(key, value);
        log.add(new java.util.AbstractMap.SimpleEntry<>(key, value));
    }

    @Test
    void shouldHideADeletedDocumentAndForgetItAtTheTombstone() {
        ConfigView view = new ConfigView();
        view.apply(KEY, doc(1, "a"));
        ConfigView.Outcome marker = view.apply(KEY, ConfigView.deletionMarker(2));
        assertEquals(Change.Type.DELETED, ((ConfigView.Outcome.Applied) marker).change().orElseThrow().type());
        assertTrue(view.get(KEY).isEmpty());
        assertEquals(3, view.nextVersion(KEY));
        assertInstanceOf(ConfigView.Outcome.Ignored.class, view.apply(KEY, doc(2, "stale update")));

        view.apply(KEY, null);

        assertEquals(1, view.nextVersion(KEY));
        assertEquals(0, view.visibleVersion(KEY));
    }

    @Test
    void shouldReportCreatedAndUpdatedChanges() {
        ConfigView view = new ConfigView();
        Change created = ((ConfigView.Outcome.Applied) view.apply(KEY, doc(1, "a"))).change().orElseThrow();
        Change updated = ((ConfigView.Outcome.Applied) view.apply(KEY, doc(2, "b"))).change().orElseThrow();
        assertEquals(Change.Type.CREATED, created.type());
        assertEquals(Change.Type.UPDATED, updated.type());
        assertEquals(1, updated.previous().orElseThrow().version());
    }

    @Test
    void shouldIgnoreValuesWithoutAPositiveVersion() {
        ConfigView view = new ConfigView();
        assertInstanceOf(ConfigView.Outcome.Malformed.class, view.apply(KEY, JsonNodeFactory.instance.objectNode().put("x", 1)));
        assertInstanceOf(ConfigView.Outcome.Malformed.class, view.apply(KEY, JsonNodeFactory.instance.objectNode().put("version", 0)));
        assertTrue(view.get(KEY).isEmpty());
    }
}

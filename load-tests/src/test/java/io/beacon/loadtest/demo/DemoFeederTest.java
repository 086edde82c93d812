package io.beacon.loadtest.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.loadtest.load.Batch;
import io.beacon.loadtest.load.BatchSource;
import io.beacon.loadtest.sim.SimEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoFeederTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T15:30:00Z");

    @Test
    void historySpansTheLastDaysAndStopsAtNow() {
        List<SimEvent> history = DemoFeeder.history(3, 60, 3, NOW);

        assertFalse(history.isEmpty());
        long first = history.stream().mapToLong(SimEvent::timeMillis).min().orElseThrow();
        long last = history.stream().mapToLong(SimEvent::timeMillis).max().orElseThrow();
        assertTrue(first >= Instant.parse("2026-11-22T00:00:00Z").toEpochMilli(), "starts at midnight 3 days ago");
        assertTrue(first < Instant.parse("2026-11-23T00:00:00Z").toEpochMilli(), "has events on the first day");
        assertTrue(last <= NOW.toEpochMilli(), "nothing after now");
        assertTrue(last > Instant.parse("2026-11-25T00:00:00Z").toEpochMilli(), "has events today");
    }

    @Test
    void restampReplacesOnlyTheTimestamp() throws Exception {
        String item = "{\"type\":\"track\",\"messageId\":\"m1\",\"event\":\"x\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"properties\":{\"a\":1}}";
        JsonNode restamped = JSON.readTree(DemoFeeder.restamp(item, NOW));

        assertEquals(NOW.toString(), restamped.get("timestamp").asText());
        assertEquals("m1", restamped.get("messageId").asText());
        assertEquals(1, restamped.get("properties").get("a").asInt());
        assertThrows(IllegalArgumentException.class, () -> DemoFeeder.restamp("{\"event\":\"x\"}", NOW));
    }

    @Test
    void liveEventsCarryTheClockTimeAndNewMessageIds() throws Exception {
        DemoFeeder feeder = new DemoFeeder(URI.create("http://127.0.0.1:1"), "wk", Clock.fixed(NOW, ZoneOffset.UTC));
        Set<String> historyIds = new HashSet<>();
        DemoFeeder.history(7, 40, 2, NOW).forEach(e -> historyIds.add(e.messageId()));
        BatchSource live = feeder.live(7, 40);
        Set<String> liveIds = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Batch b = live.next();
            JsonNode item = JSON.readTree(b.body()).get("batch").get(0);
            assertEquals(NOW.toString(), item.get("timestamp").asText());
            liveIds.add(item.get("messageId").asText());
        }
        assertEquals(500, liveIds.size(), "no repeated message id");
        liveIds.retainAll(historyIds);
        assertTrue(liveIds.isEmpty(), "live ids differ from the history's: " + liveIds);
    }
}

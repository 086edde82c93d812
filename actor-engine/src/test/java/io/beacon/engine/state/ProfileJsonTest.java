package io.beacon.engine.state;

import static io.beacon.engine.state.StateFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileJsonTest {
    @Test
    void shouldShowCountsRevenueLastEventsTraitsSegmentsAndScoresAtTheRequestedInstant() {
        EngineSettings settings = EngineSettings.defaults();
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.track("p1", "purchase", T0 - 3 * WindowSpec.DAY_MS, "s1", Map.of("revenue", 20)), 0, settings);
        s.apply(StateFixtures.track("p2", "purchase", T0 - 2 * WindowSpec.HOUR_MS, "s2", Map.of("revenue", 5.5)), 1, settings);
        s.apply(StateFixtures.identify("i1", T0, Map.of("plan", "pro")), 2, settings);
        s.enterSegment("buyers", T0 - 1000);
        s.enterSegment("gone", T0 - 2000);
        s.setScore("churn", 0.25, T0 - 10);

        JsonNode j = ProfileJson.write(ProfileView.of(s, id -> id.equals("buyers") ? "Buyers" : null, T0));

        assertEquals("shop", j.path("project_id").asText());
        assertEquals("u1", j.path("person_id").asText());
        assertEquals(Instant.ofEpochMilli(T0 - 3 * WindowSpec.DAY_MS).toString(), j.path("first_seen").asText());
        assertEquals(Instant.ofEpochMilli(T0).toString(), j.path("last_seen").asText());
        JsonNode purchase = j.path("events").path("purchase");
        assertEquals(0, purchase.path("1h").asLong());
        assertEquals(1, purchase.path("24h").asLong());
        assertEquals(2, purchase.path("7d").asLong());
        assertEquals(2, purchase.path("30d").asLong());
        assertEquals(2, purchase.path("all").asLong());
        assertEquals(1, j.path("events").path("$identify").path("1h").asLong());
        assertEquals(2, j.path("sessions").asLong(), "s1, s2, s1 again");
        assertEquals(5.5, j.path("revenue").path("24h").asDouble(), 1e-9);
        assertEquals(25.5, j.path("revenue").path("all").asDouble(), 1e-9);
        assertEquals("i1", j.path("last_events").path(0).path("event_id").asText());
        assertEquals("$identify", j.path("last_events").path(0).path("event").asText());
        assertEquals("p1", j.path("last_events").path(2).path("event_id").asText());
        assertEquals("pro", j.path("traits").path("plan").asText());
        assertEquals("buyers", j.path("segments").path(0).path("id").asText());
        assertEquals("Buyers", j.path("segments").path(0).path("name").asText());
        assertEquals(Instant.ofEpochMilli(T0 - 1000).toString(), j.path("segments").path(0).path("entered_at").asText());
        assertFalse(j.path("segments").path(1).has("name"));
        assertEquals(0.25, j.path("scores").path("churn").path("value").asDouble());
    }
}

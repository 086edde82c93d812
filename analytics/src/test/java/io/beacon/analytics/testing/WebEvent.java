package io.beacon.analytics.testing;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.warehouse.sink.EventRows;
import java.util.List;
import java.util.Map;

/**
 * A generated event with a session, a page path and an ingest-time person distinct from its distinct id
 * (for paths and timelines). {@code $pageview} is stored as a page call, {@code $screen} as a screen call.
 */
public record WebEvent(String id, String distinctId, String person, String sessionId, String name, long timeMs, String pagePath,
                       Map<String, Object> properties) {

    public Event toEvent(String projectId) {
        EventType type = name.equals("$pageview") ? EventType.PAGE : name.equals("$screen") ? EventType.SCREEN : EventType.TRACK;
        String url = pagePath == null ? null : "https://shop.example" + pagePath;
        return new Event(id, projectId, type, name, distinctId, null, sessionId, timeMs, timeMs, null, null,
                "web", "DE", null, null, null, null, null, null,
                url, null, pagePath, null, null, null, null, null, null, null,
                properties, null, null, person);
    }

    /** Inserts {@code events} in the given (arrival) order through the warehouse's row mapping. */
    public static void insert(AnalyticsDb db, String projectId, List<WebEvent> events) {
        db.clickhouse().insertJsonEachRow("events", events.stream().map(e -> EventRows.toJson(e.toEvent(projectId), e.timeMs())).toList());
    }
}

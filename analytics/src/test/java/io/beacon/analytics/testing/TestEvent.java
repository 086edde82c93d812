package io.beacon.analytics.testing;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.Map;

/**
 * A generated event as the reference implementations see it: the ingest-time person ({@code person}),
 * time in epoch ms, name, country column and custom properties.
 */
public record TestEvent(String id, String person, String name, long timeMs, String country, Map<String, Object> properties) {

    /** The canonical event stored for it (distinct id = person). */
    public Event toEvent(String projectId) {
        return new Event(id, projectId, EventType.TRACK, name, person, null, "s-" + person, timeMs, timeMs, null, null,
                "web", country, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null,
                properties, null, null, person);
    }
}

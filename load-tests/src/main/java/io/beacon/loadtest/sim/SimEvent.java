package io.beacon.loadtest.sim;

import io.beacon.event.EventType;
import java.util.Objects;

/**
 * One generated event: the Segment-shaped JSON item an SDK would send, plus the facts the simulator
 * knows about it, so tests can check ground truth without parsing the JSON.
 *
 * @param userIndex    the simulated person (0-based)
 * @param messageId    the Segment {@code messageId}, unique per settings (Beacon's event id)
 * @param type         the Segment call type
 * @param eventName    the name Beacon stores in {@code event_name} ({@code $pageview}, {@code $identify}, … for non-track calls)
 * @param timeMillis   the event's {@code timestamp}, epoch ms
 * @param sessionId    the session the event belongs to
 * @param funnelStep   the shop funnel step this event records, or {@code null}
 * @param revenueCents revenue of an {@code Order Completed}, in cents; 0 otherwise
 * @param json         the Segment batch item (one JSON object, no line breaks)
 */
public record SimEvent(int userIndex, String messageId, EventType type, String eventName, long timeMillis,
                       String sessionId, FunnelStep funnelStep, long revenueCents, String json) {
    public SimEvent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(json, "json");
    }
}

package io.beacon.cdp.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.destinations.DestinationCatalog;
import io.beacon.control.destinations.Subscription;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.SegmentChange;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The pure rule from a trigger to outbox messages: one message per enabled destination subscribed to it, with the
 * idempotency key derived from the trigger and the destination (a replayed trigger gives the same messages).
 */
public final class TriggerMessages {
    private final DestinationCatalog catalog;
    /** (project, segment id) → the segment's name, or null. */
    private final BiFunction<String, String, String> segmentName;

    public TriggerMessages(DestinationCatalog catalog, BiFunction<String, String, String> segmentName) {
        this.catalog = catalog;
        this.segmentName = segmentName;
    }

    /** The messages of a segment entry or exit. */
    public List<OutboxMessage> ofSegmentChange(SegmentChange c) {
        boolean entered = c.kind() == SegmentChange.Kind.ENTERED;
        List<DestinationCatalog.Match> matches = catalog.forSegment(c.projectId(), c.segmentId(), entered);
        if (matches.isEmpty()) {
            return List.of();
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("person_id", c.personId());
        ObjectNode segment = data.putObject("segment");
        segment.put("id", c.segmentId());
        String name = segmentName.apply(c.projectId(), c.segmentId());
        if (name == null) {
            segment.putNull("name");
        } else {
            segment.put("name", name);
        }
        segment.put("version", c.segmentVersion());
        data.put("change", c.kind().wireName());
        data.put("cause", c.cause().wireName());
        if (c.eventId() == null) {
            data.putNull("event_id");
        } else {
            data.put("event_id", c.eventId());
        }
        String type = entered ? MessageTypes.SEGMENT_ENTERED : MessageTypes.SEGMENT_EXITED;
        List<OutboxMessage> out = new ArrayList<>(matches.size());
        for (DestinationCatalog.Match m : matches) {
            String id = m.destination().id();
            out.add(new OutboxMessage(c.projectId(), id, c.personId(), IdempotencyKeys.ofSegmentChange(id, c), type, c.atMs(),
                    data.deepCopy()));
        }
        return out;
    }

    /** The messages of an event that matches event subscriptions (realtime forwarding). */
    public List<OutboxMessage> ofEvent(Event e) {
        List<DestinationCatalog.Match> matches = catalog.forEvent(e.projectId(), e.eventName());
        if (matches.isEmpty()) {
            return List.of();
        }
        JsonNode properties = EventCodec.mapper().valueToTree(e.properties() == null ? Map.of() : e.properties());
        List<OutboxMessage> out = new ArrayList<>(matches.size());
        String person = e.personId() != null ? e.personId() : e.userId() != null ? e.userId() : e.anonymousId();
        for (DestinationCatalog.Match m : matches) {
            if (!(m.subscription() instanceof Subscription.EventMatching em) || !em.matches(e.eventName(), properties)) {
                continue;
            }
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("person_id", person);
            ObjectNode event = data.putObject("event");
            event.put("id", e.eventId());
            event.put("name", e.eventName());
            event.put("timestamp", Instant.ofEpochMilli(e.eventTime()).toString());
            event.put("distinct_id", e.userId() != null ? e.userId() : e.anonymousId());
            event.set("properties", properties.deepCopy());
            if (e.traits() != null && !e.traits().isEmpty()) {
                data.set("traits", EventCodec.mapper().valueToTree(e.traits()));
            }
            String id = m.destination().id();
            out.add(new OutboxMessage(e.projectId(), id, person, IdempotencyKeys.ofEvent(id, e.projectId(), e.eventId()),
                    MessageTypes.EVENT_MATCHED, e.eventTime(), data));
        }
        return out;
    }
}

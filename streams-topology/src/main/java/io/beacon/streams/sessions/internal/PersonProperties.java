package io.beacon.streams.sessions.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.PersonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The person properties an event sets: its traits as {@code $set} (Segment identify traits, PostHog
 * {@code $set}), the object under the trait {@code "$set_once"} (where the PostHog mapper puts
 * {@code $set_once}) as set-once values. Group calls' traits describe the group and are skipped.
 */
final class PersonProperties {
    static final String SET_ONCE = "$set_once";

    private PersonProperties() {
    }

    static List<PersonProperty> of(Event event) {
        if (event.type() == EventType.GROUP || event.traits().isEmpty() || event.personId() == null) {
            return List.of();
        }
        List<PersonProperty> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : event.traits().entrySet()) {
            if (SET_ONCE.equals(e.getKey()) && e.getValue() instanceof Map<?, ?> once) {
                for (Map.Entry<?, ?> o : once.entrySet()) {
                    out.add(property(event, String.valueOf(o.getKey()), o.getValue(), true));
                }
            } else {
                out.add(property(event, e.getKey(), e.getValue(), false));
            }
        }
        return out;
    }

    private static PersonProperty property(Event event, String key, Object value, boolean setOnce) {
        return new PersonProperty(event.projectId(), event.personId(), key, text(value), setOnce, event.eventTime(),
                event.eventId(), PersonProperty.versionOf(setOnce, event.eventTime()));
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}

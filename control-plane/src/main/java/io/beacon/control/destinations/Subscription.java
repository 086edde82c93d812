package io.beacon.control.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A trigger that feeds a destination: a person entering or leaving a segment of the project
 * ({@code beacon.segment.changes}), or an event matching a filter (realtime forwarding).
 */
public sealed interface Subscription permits Subscription.SegmentEntered, Subscription.SegmentExited, Subscription.EventMatching {

    /** {@code {"on":"segment_entered","segment":"<id>"}} */
    record SegmentEntered(String segment) implements Subscription {
        public SegmentEntered {
            Objects.requireNonNull(segment, "segment");
        }
    }

    /** {@code {"on":"segment_exited","segment":"<id>"}} */
    record SegmentExited(String segment) implements Subscription {
        public SegmentExited {
            Objects.requireNonNull(segment, "segment");
        }
    }

    /**
     * {@code {"on":"event","event":"<name>","where":[…]}}: every condition of {@code where} must hold.
     *
     * @param event the event name
     * @param where the conditions on the event's properties (empty: every event of that name)
     */
    record EventMatching(String event, List<PropertyFilter> where) implements Subscription {
        public EventMatching {
            Objects.requireNonNull(event, "event");
            where = List.copyOf(where);
        }

        /** Whether an event named {@code name} with {@code properties} (a JSON object) is forwarded. */
        public boolean matches(String name, JsonNode properties) {
            return event.equals(name) && where.stream().allMatch(f -> f.matches(properties));
        }
    }
}

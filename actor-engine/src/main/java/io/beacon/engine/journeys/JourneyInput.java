package io.beacon.engine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * What happened to the user that journeys may react to. {@link #eventId} is the event that caused it ({@code null}
 * when a timer did); inputs with an event id are applied once ({@link #dedupKey}).
 */
public sealed interface JourneyInput {

    /** The event that caused this input, or {@code null}. */
    String eventId();

    /**
     * The key under which {@link UserJourneys} remembers this input as applied, {@code null} when it has no event id
     * (such an input is not deduplicated).
     */
    String dedupKey();

    /** An event of the user. */
    record Event(String name, JsonNode properties, String eventId) implements JourneyInput {
        public Event {
            Objects.requireNonNull(name, "name");
            properties = properties == null ? JsonNodeFactory.instance.objectNode() : properties;
        }

        @Override
        public String dedupKey() {
            return eventId == null ? null : "e/" + eventId;
        }
    }

    /** The user entered realtime segment {@code segmentId}. */
    record SegmentEntered(String segmentId, String eventId) implements JourneyInput {
        public SegmentEntered {
            Objects.requireNonNull(segmentId, "segmentId");
        }

        @Override
        public String dedupKey() {
            return eventId == null ? null : "s+/" + segmentId + "/" + eventId;
        }
    }

    /** The user left realtime segment {@code segmentId}. */
    record SegmentExited(String segmentId, String eventId) implements JourneyInput {
        public SegmentExited {
            Objects.requireNonNull(segmentId, "segmentId");
        }

        @Override
        public String dedupKey() {
            return eventId == null ? null : "s-/" + segmentId + "/" + eventId;
        }
    }

    /**
     * Score {@code score} changed to {@code value} from {@code previous} ({@code null}: no score before), crossing the
     * model's {@code threshold} in {@code direction} ({@code up} or {@code down}). A journey's score trigger has a
     * threshold of its own and is tested on {@code previous} and {@code value}.
     */
    record ScoreCrossed(String score, double value, Double previous, double threshold, String direction,
                        String eventId) implements JourneyInput {
        public ScoreCrossed {
            Objects.requireNonNull(score, "score");
            Objects.requireNonNull(direction, "direction");
        }

        @Override
        public String dedupKey() {
            return eventId == null ? null : "c/" + score + "/" + eventId;
        }
    }
}

package io.beacon.event;

import java.util.Objects;

/**
 * A user entered or left a segment: the value of topic {@value TopicNames#SEGMENT_CHANGES} (key
 * {@code project:person}, JSON by {@link SegmentChangeCodec}), written by the actor engine and copied by
 * the warehouse sink into ClickHouse {@code segment_changes}.
 *
 * @param segmentVersion the definition version that decided it (0 when the segment was deleted)
 * @param atMs           when the engine decided it (its clock, epoch ms)
 * @param eventId        the event that caused it, {@code null} for {@link Cause#TIME}
 */
public record SegmentChange(String projectId, String personId, String segmentId, long segmentVersion, Kind kind,
                            long atMs, Cause cause, String eventId) {

    public enum Kind {
        ENTERED, EXITED;

        public String wireName() {
            return this == ENTERED ? "entered" : "exited";
        }
    }

    public enum Cause {
        /** Evaluated because an event arrived. */
        EVENT,
        /** Evaluated because a timer fell due (a window passed, recency crossed). */
        TIME;

        public String wireName() {
            return this == EVENT ? "event" : "time";
        }
    }

    public SegmentChange {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(segmentId, "segmentId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cause, "cause");
    }

    /** The topic key, {@code project:person}. */
    public String userKey() {
        return projectId + ":" + personId;
    }
}

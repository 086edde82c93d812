package io.beacon.event;

import java.util.Locale;
import java.util.Objects;

/**
 * One event a stage dropped without writing it anywhere else, as the data-quality collector counts it
 * ({@value TopicNames#DQ_FACTS}): the gateway's rejections (stage {@link Stage#GATEWAY_REJECTED}, code = the
 * rejection code) and the topology's duplicates (stage {@link Stage#DUPLICATE}). Events that reach a topic (raw,
 * valid, DLQ) are counted from that topic instead.
 *
 * @param projectId  the project
 * @param stage      where it was dropped
 * @param code       why ({@code duplicate}, or the gateway's rejection code)
 * @param eventName  the event's name, or {@code ""} when it could not be read
 * @param eventId    the event id, or {@code ""} when there was none
 * @param receivedAt when the gateway received it, epoch ms (the minute it is counted in)
 */
public record DqFact(String projectId, Stage stage, String code, String eventName, String eventId, long receivedAt) {

    /** The stages that report facts; the wire name is the lower-case constant name. */
    public enum Stage {
        GATEWAY_REJECTED,
        DUPLICATE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The stage of a wire name, or {@code null}. */
        public static Stage fromWire(String s) {
            for (Stage v : values()) {
                if (v.wireName().equals(s)) {
                    return v;
                }
            }
            return null;
        }
    }

    public DqFact {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(code, "code");
        eventName = eventName == null ? "" : eventName;
        eventId = eventId == null ? "" : eventId;
    }
}

package io.beacon.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one codec of {@value TopicNames#SEGMENT_CHANGES} values (the engine encodes, the warehouse sink decodes):
 * {@code {"project_id","person_id","segment_id","segment_version","change":"entered|exited",
 * "at":"2026-11-25T10:00:00.123Z","at_ms","cause":"event|time","event_id"}} ({@code event_id} is
 * {@code null} for time-caused changes).
 */
public final class SegmentChangeCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SegmentChangeCodec() {
    }

    public static ObjectNode toJson(SegmentChange c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("project_id", c.projectId());
        o.put("person_id", c.personId());
        o.put("segment_id", c.segmentId());
        o.put("segment_version", c.segmentVersion());
        o.put("change", c.kind().wireName());
        o.put("at", isoInstant(c.atMs()));
        o.put("at_ms", c.atMs());
        o.put("cause", c.cause().wireName());
        if (c.eventId() == null) {
            o.putNull("event_id");
        } else {
            o.put("event_id", c.eventId());
        }
        return o;
    }

    /**
     * The JSON text: exactly {@code toJson(c).toString()}, written straight to a generator (the engine encodes
     * every change it emits; the tree was most of that cost).
     */
    public static String encode(SegmentChange c) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("project_id", c.projectId());
            g.writeStringField("person_id", c.personId());
            g.writeStringField("segment_id", c.segmentId());
            g.writeNumberField("segment_version", c.segmentVersion());
            g.writeStringField("change", c.kind().wireName());
            g.writeStringField("at", isoInstant(c.atMs()));
            g.writeNumberField("at_ms", c.atMs());
            g.writeStringField("cause", c.cause().wireName());
            if (c.eventId() == null) {
                g.writeNullField("event_id");
            } else {
                g.writeStringField("event_id", c.eventId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a segment change", e);
        }
        return out.toString();
    }

    /** The last instant formatted: the changes of one batch share the engine's "now". */
    private static volatile IsoInstant lastInstant = new IsoInstant(0, Instant.EPOCH.toString());

    private record IsoInstant(long ms, String text) {
    }

    private static String isoInstant(long ms) {
        IsoInstant last = lastInstant;
        if (last.ms() == ms) {
            return last.text();
        }
        String text = Instant.ofEpochMilli(ms).toString();
        lastInstant = new IsoInstant(ms, text);
        return text;
    }

    /** The JSON as UTF-8 bytes (the Kafka record value). */
    public static byte[] encodeBytes(SegmentChange c) {
        return encode(c).getBytes(StandardCharsets.UTF_8);
    }

    public static SegmentChange decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not a valid change
     */
    public static SegmentChange decode(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a segment change is a JSON object");
        }
        SegmentChange.Kind kind = switch (RecordFields.text(n, "change")) {
            case "entered" -> SegmentChange.Kind.ENTERED;
            case "exited" -> SegmentChange.Kind.EXITED;
            default -> throw new IllegalArgumentException("change must be entered or exited");
        };
        SegmentChange.Cause cause = switch (RecordFields.text(n, "cause")) {
            case "event" -> SegmentChange.Cause.EVENT;
            case "time" -> SegmentChange.Cause.TIME;
            default -> throw new IllegalArgumentException("cause must be event or time");
        };
        JsonNode ev = n.get("event_id");
        return new SegmentChange(RecordFields.text(n, "project_id"), RecordFields.text(n, "person_id"), RecordFields.text(n, "segment_id"),
                RecordFields.integer(n, "segment_version"), kind, RecordFields.integer(n, "at_ms"), cause,
                ev == null || ev.isNull() ? null : ev.asText());
    }
}

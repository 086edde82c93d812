package io.beacon.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one codec of {@value TopicNames#JOURNEY_EVENTS} values (the engine encodes, the warehouse sink decodes):
 * {@code {"project_id","person_id","journey_id","journey_version","entry","seq","kind","step_id","reason","channel",
 * "message_key","at":"2026-11-25T10:00:00.123Z","at_ms","event_id"}}; the optional fields are JSON {@code null} when
 * absent.
 */
public final class JourneyEventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JourneyEventCodec() {
    }

    public static String encode(JourneyEvent e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("project_id", e.projectId());
            g.writeStringField("person_id", e.personId());
            g.writeStringField("journey_id", e.journeyId());
            g.writeNumberField("journey_version", e.journeyVersion());
            g.writeNumberField("entry", e.entry());
            g.writeNumberField("seq", e.seq());
            g.writeStringField("kind", e.kind().wireName());
            optional(g, "step_id", e.stepId());
            optional(g, "reason", e.reason());
            optional(g, "channel", e.channel());
            optional(g, "message_key", e.messageKey());
            g.writeStringField("at", Instant.ofEpochMilli(e.atMs()).toString());
            g.writeNumberField("at_ms", e.atMs());
            optional(g, "event_id", e.eventId());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot encode a journey event", ex);
        }
        return out.toString();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    /** The JSON as UTF-8 bytes (the Kafka record value). */
    public static byte[] encodeBytes(JourneyEvent e) {
        return encode(e).getBytes(StandardCharsets.UTF_8);
    }

    public static JourneyEvent decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not a valid journey event (the message names the field)
     */
    public static JourneyEvent decode(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a journey event is a JSON object");
        }
        String kindText = RecordFields.text(n, "kind");
        JourneyEvent.Kind kind = JourneyEvent.Kind.fromWire(kindText)
                .orElseThrow(() -> new IllegalArgumentException("kind is not a journey event kind: " + kindText));
        long version = RecordFields.integer(n, "journey_version");
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("journey_version must be between 1 and " + Integer.MAX_VALUE);
        }
        long entry = RecordFields.integer(n, "entry");
        if (entry < 1) {
            throw new IllegalArgumentException("entry must be at least 1");
        }
        long seq = RecordFields.integer(n, "seq");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative");
        }
        return new JourneyEvent(RecordFields.text(n, "project_id"), RecordFields.text(n, "person_id"), RecordFields.text(n, "journey_id"), (int) version,
                entry, seq, kind, optionalText(n, "step_id"), optionalText(n, "reason"), optionalText(n, "channel"),
                optionalText(n, "message_key"), RecordFields.integer(n, "at_ms"), optionalText(n, "event_id"));
    }

    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string or null");
        }
        return v.asText();
    }
}

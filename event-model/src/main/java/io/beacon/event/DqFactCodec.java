package io.beacon.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one codec of {@value TopicNames#DQ_FACTS} values (the gateway and the topology encode, the data-quality
 * collector decodes): {@code {"project_id","stage","code","event_name","event_id","received_at_ms"}}.
 */
public final class DqFactCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DqFactCodec() {
    }

    public static byte[] encode(DqFact f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("project_id", f.projectId());
            g.writeStringField("stage", f.stage().wireName());
            g.writeStringField("code", f.code());
            g.writeStringField("event_name", f.eventName());
            g.writeStringField("event_id", f.eventId());
            g.writeNumberField("received_at_ms", f.receivedAt());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot encode a data-quality fact", ex);
        }
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not a valid fact (the message names the field)
     */
    public static DqFact decode(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a data-quality fact is a JSON object");
        }
        String stageText = RecordFields.text(n, "stage");
        DqFact.Stage stage = DqFact.Stage.fromWire(stageText);
        if (stage == null) {
            throw new IllegalArgumentException("stage is not a data-quality stage: " + stageText);
        }
        return new DqFact(RecordFields.text(n, "project_id"), stage, RecordFields.text(n, "code"),
                RecordFields.text(n, "event_name"), RecordFields.text(n, "event_id"), RecordFields.integer(n, "received_at_ms"));
    }
}

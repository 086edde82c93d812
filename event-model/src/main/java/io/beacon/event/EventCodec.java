package io.beacon.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Set;

/**
 * JSON codecs for everything that crosses Kafka: {@link Event}, {@link RawEnvelope} and
 * {@link DeadLetter}. Field names are snake_case, matching the ClickHouse columns; {@code null}s
 * are omitted. One shared, thread-safe {@link ObjectMapper}.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EventCodec() {
    }

    /** The mapper used for wire JSON, for modules that need to read/write plain JSON the same way. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // Our own records always serialize; a failure here is a programming error.
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Encodes {@code envelope} exactly as {@link #encode} does, but writes {@code payloadJson} — the
     * envelope's payload already encoded by {@link #encode} (the gateway encodes each item once for
     * its size limit) — as is instead of serializing the tree a second time.
     *
     * @param payloadJson {@code encode(envelope.payload())}
     */
    public static byte[] encodeEnvelope(RawEnvelope envelope, byte[] payloadJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payloadJson.length + 160);
        try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("project_id", envelope.projectId());
            gen.writeStringField("event_id", envelope.eventId());
            gen.writeNumberField("received_at", envelope.receivedAt());
            if (envelope.ip() != null) {
                gen.writeStringField("ip", envelope.ip());
            }
            if (envelope.userAgent() != null) {
                gen.writeStringField("user_agent", envelope.userAgent());
            }
            gen.writeStringField("format", envelope.format().wireName());
            gen.writeFieldName("payload");
            gen.writeRawValue(""); // writes the ':' separator; the value follows as raw bytes
            gen.flush();
            out.write(payloadJson);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an envelope", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes an {@link Event}: the same result as {@code decode(bytes, Event.class)}, read by
     * {@link EventJsonReader} in one streaming pass (every consumer of {@code beacon.events.valid} decodes each
     * event, and data binding was the largest part of that cost).
     *
     * @throws UncheckedIOException when the bytes are not a valid event
     */
    public static Event decodeEvent(byte[] bytes) {
        try {
            return EventJsonReader.read(MAPPER.getFactory(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid Event: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes only what per-user state needs, for consumers that must keep up with every event: {@code event_id},
     * {@code project_id}, {@code type}, {@code event_name}, {@code user_id}, {@code anonymous_id},
     * {@code person_id}, {@code session_id}, {@code event_time}, {@code received_at}, {@code traits}, and of
     * {@code properties} only the keys in {@code properties}. Every other field of the result is {@code null}
     * (warnings empty); the skipped text is never decoded (the JSON structure is still checked).
     *
     * @throws UncheckedIOException when the bytes are not a valid event
     */
    public static Event decodeProjected(byte[] bytes, Set<String> properties) {
        try {
            return EventJsonReader.read(MAPPER.getFactory(), bytes, Objects.requireNonNull(properties, "properties"));
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid Event: " + e.getMessage(), e);
        }
    }

    public static RawEnvelope decodeEnvelope(byte[] bytes) {
        return decode(bytes, RawEnvelope.class);
    }

    public static DeadLetter decodeDeadLetter(byte[] bytes) {
        return decode(bytes, DeadLetter.class);
    }

    /**
     * Decodes {@code bytes} as {@code type}.
     *
     * @throws UncheckedIOException when the bytes are not a valid document of that type
     */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}

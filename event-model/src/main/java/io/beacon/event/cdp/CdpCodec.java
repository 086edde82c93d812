package io.beacon.event.cdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one codec of the connectors' topics: outbox messages, retry entries, dead letters and delivery attempts
 * (snake_case JSON objects; the message is nested as {@code "message"} in the others).
 */
public final class CdpCodec {
    /** Response bodies kept in the delivery log and the DLQ are cut to this many characters. */
    public static final int MAX_RESPONSE_BODY = 1_024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CdpCodec() {
    }

    // ---- outbox message ------------------------------------------------------------------------

    public static ObjectNode toJson(OutboxMessage m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("project_id", m.projectId());
        o.put("destination_id", m.destinationId());
        o.put("person_id", m.personId());
        o.put("message_id", m.messageId());
        o.put("type", m.type());
        o.put("created_at_ms", m.createdAtMs());
        o.set("data", m.data());
        return o;
    }

    public static byte[] encode(OutboxMessage m) {
        return bytes(toJson(m));
    }

    /** @throws IllegalArgumentException when {@code bytes} are not a valid message */
    public static OutboxMessage decodeMessage(byte[] bytes) {
        return message(object(bytes));
    }

    private static OutboxMessage message(JsonNode n) {
        JsonNode data = n.get("data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("data must be an object");
        }
        return new OutboxMessage(text(n, "project_id"), text(n, "destination_id"), text(n, "person_id"),
                text(n, "message_id"), text(n, "type"), integer(n, "created_at_ms"), (ObjectNode) data);
    }

    // ---- retry entry ---------------------------------------------------------------------------

    public static byte[] encode(RetryEntry e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("message", toJson(e.message()));
        o.put("attempt", e.attempt());
        o.put("due_at_ms", e.dueAtMs());
        o.put("sequence", e.sequence());
        o.put("done", e.done());
        putNullable(o, "last_error", e.lastError());
        return bytes(o);
    }

    public static RetryEntry decodeRetry(byte[] bytes) {
        JsonNode n = object(bytes);
        JsonNode done = n.get("done");
        if (done == null || !done.isBoolean()) {
            throw new IllegalArgumentException("done must be a boolean");
        }
        return new RetryEntry(message(child(n, "message")), (int) integer(n, "attempt"), integer(n, "due_at_ms"),
                integer(n, "sequence"), done.booleanValue(), nullableText(n, "last_error"));
    }

    // ---- dead letter ---------------------------------------------------------------------------

    public static ObjectNode toJson(CdpDeadLetter d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("message", toJson(d.message()));
        o.put("attempts", d.attempts());
        o.put("error_class", d.errorClass().wireName());
        putNullable(o, "last_error", d.lastError());
        o.put("last_status", d.lastStatus());
        o.put("failed_at_ms", d.failedAtMs());
        return o;
    }

    public static byte[] encode(CdpDeadLetter d) {
        return bytes(toJson(d));
    }

    public static CdpDeadLetter decodeDeadLetter(byte[] bytes) {
        JsonNode n = object(bytes);
        String cls = text(n, "error_class");
        return new CdpDeadLetter(message(child(n, "message")), (int) integer(n, "attempts"),
                ErrorClass.fromWire(cls).orElseThrow(() -> new IllegalArgumentException("unknown error_class " + cls)),
                nullableText(n, "last_error"), (int) integer(n, "last_status"), integer(n, "failed_at_ms"));
    }

    // ---- delivery attempt ----------------------------------------------------------------------

    public static ObjectNode toJson(DeliveryAttempt a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("project_id", a.projectId());
        o.put("destination_id", a.destinationId());
        putNullable(o, "person_id", a.personId());
        o.put("message_id", a.messageId());
        putNullable(o, "type", a.type());
        o.put("attempt", a.attempt());
        o.put("at_ms", a.atMs());
        o.put("status", a.status());
        o.put("outcome", a.outcome().wireName());
        o.put("latency_ms", a.latencyMs());
        putNullable(o, "error", a.error());
        putNullable(o, "response_body", truncate(a.responseBody()));
        return o;
    }

    public static byte[] encode(DeliveryAttempt a) {
        return bytes(toJson(a));
    }

    public static DeliveryAttempt decodeAttempt(byte[] bytes) {
        JsonNode n = object(bytes);
        String outcome = text(n, "outcome");
        DeliveryAttempt.Outcome o;
        try {
            o = DeliveryAttempt.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outcome " + outcome);
        }
        return new DeliveryAttempt(text(n, "project_id"), text(n, "destination_id"), nullableText(n, "person_id"),
                text(n, "message_id"), nullableText(n, "type"), (int) integer(n, "attempt"), integer(n, "at_ms"),
                (int) integer(n, "status"), o, integer(n, "latency_ms"), nullableText(n, "error"),
                nullableText(n, "response_body"));
    }

    /** {@code s} cut to {@link #MAX_RESPONSE_BODY} characters ({@code null} stays null). */
    public static String truncate(String s) {
        return s == null || s.length() <= MAX_RESPONSE_BODY ? s : s.substring(0, MAX_RESPONSE_BODY);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static byte[] bytes(ObjectNode o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode object(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a connectors record is a JSON object");
        }
        return n;
    }

    private static JsonNode child(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(field + " must be an object");
        }
        return v;
    }

    private static void putNullable(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    private static String nullableText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string or null");
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.asLong();
    }
}

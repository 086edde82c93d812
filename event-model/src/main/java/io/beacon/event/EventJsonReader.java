package io.beacon.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON of an {@link Event} with one streaming pass and a switch on the field names: what
 * {@code ObjectMapper.readValue(bytes, Event.class)} produces — same values, same Java types inside
 * {@code properties} and {@code traits} ({@code LinkedHashMap}, {@code ArrayList}, {@code String},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, {@code null}), unknown fields
 * skipped, scalars coerced into string and number fields as data binding coerces them — without its per-call
 * bean, creator and property-buffer machinery, which is most of the decoding cost of every consumer of
 * {@code beacon.events.valid} (sink, engine, topology). {@code EventJsonReaderTest} holds the two equal.
 */
final class EventJsonReader {
    private EventJsonReader() {
    }

    static Event read(JsonFactory factory, byte[] bytes) throws IOException {
        return read(factory, bytes, null);
    }

    /**
     * @param keepProperties {@code null} for the whole event; otherwise a projection: only the fields
     *                       {@link EventCodec#decodeProjected} names are read, only these property keys, and
     *                       everything else is skipped without being decoded
     */
    static Event read(JsonFactory factory, byte[] bytes, Set<String> keepProperties) throws IOException {
        boolean all = keepProperties == null;
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("an event must be a JSON object, found " + p.currentToken());
            }
            String eventId = null;
            String projectId = null;
            EventType type = null;
            String eventName = null;
            String userId = null;
            String anonymousId = null;
            String sessionId = null;
            long eventTime = 0;
            long receivedAt = 0;
            Long clientTime = null;
            Long sentAt = null;
            String platform = null;
            String country = null;
            String region = null;
            String city = null;
            String deviceModel = null;
            String osName = null;
            String osVersion = null;
            String appVersion = null;
            String pageUrl = null;
            String pageTitle = null;
            String pagePath = null;
            String referrer = null;
            String ip = null;
            String userAgent = null;
            String libraryName = null;
            String libraryVersion = null;
            String groupId = null;
            String previousId = null;
            Map<String, Object> properties = null;
            Map<String, Object> traits = null;
            List<String> warnings = null;
            String personId = null;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                if (!all && !PROJECTED.contains(field)) {
                    if (field.equals("properties")) {
                        properties = t == JsonToken.VALUE_NULL ? null : selected(p, t, keepProperties);
                    } else {
                        p.skipChildren(); // a string's characters are never decoded when its text is not asked for
                    }
                    continue;
                }
                switch (field) {
                    case "event_id" -> eventId = string(p, t, field);
                    case "project_id" -> projectId = string(p, t, field);
                    case "type" -> type = type(p, t);
                    case "event_name" -> eventName = string(p, t, field);
                    case "user_id" -> userId = string(p, t, field);
                    case "anonymous_id" -> anonymousId = string(p, t, field);
                    case "session_id" -> sessionId = string(p, t, field);
                    case "event_time" -> eventTime = primitiveLong(p, t, field);
                    case "received_at" -> receivedAt = primitiveLong(p, t, field);
                    case "client_time" -> clientTime = boxedLong(p, t, field);
                    case "sent_at" -> sentAt = boxedLong(p, t, field);
                    case "platform" -> platform = string(p, t, field);
                    case "country" -> country = string(p, t, field);
                    case "region" -> region = string(p, t, field);
                    case "city" -> city = string(p, t, field);
                    case "device_model" -> deviceModel = string(p, t, field);
                    case "os_name" -> osName = string(p, t, field);
                    case "os_version" -> osVersion = string(p, t, field);
                    case "app_version" -> appVersion = string(p, t, field);
                    case "page_url" -> pageUrl = string(p, t, field);
                    case "page_title" -> pageTitle = string(p, t, field);
                    case "page_path" -> pagePath = string(p, t, field);
                    case "referrer" -> referrer = string(p, t, field);
                    case "ip" -> ip = string(p, t, field);
                    case "user_agent" -> userAgent = string(p, t, field);
                    case "library_name" -> libraryName = string(p, t, field);
                    case "library_version" -> libraryVersion = string(p, t, field);
                    case "group_id" -> groupId = string(p, t, field);
                    case "previous_id" -> previousId = string(p, t, field);
                    case "properties" -> properties = map(p, t, field);
                    case "traits" -> traits = map(p, t, field);
                    case "warnings" -> warnings = strings(p, t, field);
                    case "person_id" -> personId = string(p, t, field);
                    default -> p.skipChildren(); // unknown fields are ignored, as the mapper is configured to
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("unexpected " + p.currentToken() + " in an event");
            }
            try {
                return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, eventTime, receivedAt,
                        clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                        pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId,
                        previousId, properties, traits, warnings, personId);
            } catch (NullPointerException missing) {
                throw new IOException("missing required field: " + missing.getMessage(), missing);
            }
        }
    }

    /** The fields a projection reads (besides the selected properties). */
    private static final Set<String> PROJECTED = Set.of("event_id", "project_id", "type", "event_name", "user_id",
            "anonymous_id", "session_id", "event_time", "received_at", "traits", "person_id");

    /** The properties object reduced to the {@code keep} keys (the others skipped undecoded). */
    private static Map<String, Object> selected(JsonParser p, JsonToken t, Set<String> keep) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new IOException("field properties must be an object, found " + t);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (keep.contains(name)) {
                m.put(name, value(p, v));
            } else {
                p.skipChildren();
            }
        }
        return m;
    }

    private static String string(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.isScalarValue()) {
            return p.getText(); // numbers and booleans coerce to their text, as data binding does
        }
        throw new IOException("field " + field + " must be a string, found " + t);
    }

    private static EventType type(JsonParser p, JsonToken t) throws IOException {
        String s = string(p, t, "type");
        if (s == null) {
            return null;
        }
        return EventType.fromWire(s).orElseThrow(() -> new IOException("unknown event type: " + s));
    }

    private static long primitiveLong(JsonParser p, JsonToken t, String field) throws IOException {
        Long v = boxedLong(p, t, field);
        return v == null ? 0L : v;
    }

    private static Long boxedLong(JsonParser p, JsonToken t, String field) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return (long) p.getDoubleValue(); // data binding accepts floats for integral fields by truncation
            case VALUE_NULL:
                return null;
            case VALUE_STRING: {
                String s = p.getText().trim();
                if (s.isEmpty()) {
                    return null;
                }
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IOException("field " + field + " must be a number, found \"" + s + "\"");
                }
            }
            default:
                throw new IOException("field " + field + " must be a number, found " + t);
        }
    }

    private static Map<String, Object> map(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new IOException("field " + field + " must be an object, found " + t);
        }
        return object(p);
    }

    private static List<String> strings(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("field " + field + " must be an array, found " + t);
        }
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(string(p, e, field));
        }
        return out;
    }

    /** The object whose START_OBJECT is the current token, as untyped values. */
    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            m.put(name, value(p, p.nextToken()));
        }
        return m;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT:
                return object(p);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(value(p, e));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue(); // Integer, Long or BigInteger by magnitude
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t + " in an event");
        }
    }
}

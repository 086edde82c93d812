package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a received item ({@link RawEnvelope}) to the canonical {@link Event}, or explains why it
 * cannot. Pure: the gateway calls it to answer 400s precisely, the topology calls it again on the
 * raw record, and both get the same answer.
 *
 * <p>Segment field names follow the Segment Spec (Common Fields, Track, Identify, Page, Screen,
 * Group, Alias); native names follow Beacon's original design ({@code event_name}, {@code user_id},
 * {@code device_id}, {@code event_time} in ms, {@code event_id}, {@code properties}).
 */
public final class EventMapper {
    /** Longest accepted event name, id or other identifier, in characters ({@link Event#MAX_ID_LENGTH}). */
    public static final int MAX_ID_LENGTH = Event.MAX_ID_LENGTH;

    private EventMapper() {
    }

    public static MappingResult map(RawEnvelope envelope) {
        try {
            if (envelope.format() == WireFormat.POSTHOG) {
                return PostHogMapper.map(envelope);
            }
            Event event = envelope.format() == WireFormat.NATIVE ? mapNative(envelope) : mapSegment(envelope);
            return new MappingResult.Mapped(event);
        } catch (RejectedException e) {
            return new MappingResult.Rejected(e.rejection);
        }
    }

    /** The call type a Segment item declares; rejects a missing or unknown one. */
    public static Optional<Rejection> checkSegmentType(JsonNode item) {
        JsonNode t = item.get("type");
        if (t == null || t.isNull()) {
            return Optional.of(Rejection.of(RejectionCode.INVALID_TYPE, "type",
                    "batch item has no \"type\"; expected one of track, identify, page, screen, group, alias"));
        }
        if (!t.isTextual() || EventType.fromWire(t.asText()).isEmpty()) {
            return Optional.of(Rejection.of(RejectionCode.INVALID_TYPE, "type",
                    "\"type\" must be one of track, identify, page, screen, group, alias; got " + t));
        }
        return Optional.empty();
    }

    private static Event mapSegment(RawEnvelope env) {
        JsonNode in = env.payload();
        requireObject(in);
        Optional<Rejection> typeProblem = checkSegmentType(in);
        if (typeProblem.isPresent()) {
            throw new RejectedException(typeProblem.get());
        }
        EventType type = EventType.fromWire(in.get("type").asText()).orElseThrow();
        String userId = id(in, "userId");
        String anonymousId = id(in, "anonymousId");
        if (userId == null && anonymousId == null) {
            throw reject(RejectionCode.MISSING_USER_ID, "userId", "either \"userId\" or \"anonymousId\" is required");
        }
        Map<String, Object> properties = object(in, "properties");
        Map<String, Object> traits = object(in, "traits");
        JsonNode context = objectNode(in, "context");
        objectNode(in, "integrations"); // type-checked only; destinations are not Beacon's concern here

        String eventName = switch (type) {
            case TRACK -> {
                String name = id(in, "event");
                if (name == null) {
                    throw reject(RejectionCode.MISSING_EVENT_NAME, "event", "a track call needs a non-empty \"event\" name");
                }
                yield name;
            }
            default -> type.implicitEventName();
        };
        String groupId = null;
        String previousId = null;
        if (type == EventType.GROUP) {
            groupId = id(in, "groupId");
            if (groupId == null) {
                throw reject(RejectionCode.MISSING_GROUP_ID, "groupId", "a group call needs \"groupId\"");
            }
        }
        if (type == EventType.ALIAS) {
            previousId = id(in, "previousId");
            if (previousId == null) {
                throw reject(RejectionCode.MISSING_PREVIOUS_ID, "previousId", "an alias call needs \"previousId\"");
            }
            if (userId == null) {
                throw reject(RejectionCode.MISSING_USER_ID, "userId", "an alias call needs \"userId\"");
            }
        }
        if (type == EventType.IDENTIFY && traits.isEmpty() && context != null && context.has("traits")) {
            traits = object(context, "traits");
        }

        Long explicit = time(in, "timestamp");
        Long original = time(in, "originalTimestamp");
        Long sentAt = time(in, "sentAt");
        long eventTime = EventTimes.eventTime(explicit, original, sentAt, env.receivedAt());

        String pageName = text(in, "name");
        String pageUrl = firstNonNull(str(properties, "url"), text(context, "page", "url"));
        String pageTitle = firstNonNull(str(properties, "title"), text(context, "page", "title"),
                type == EventType.PAGE || type == EventType.SCREEN ? pageName : null);
        String pagePath = firstNonNull(str(properties, "path"), text(context, "page", "path"));
        String referrer = firstNonNull(str(properties, "referrer"), text(context, "page", "referrer"));
        String libraryName = text(context, "library", "name");

        return new Event(
                env.eventId(), env.projectId(), type, eventName, userId, anonymousId,
                firstNonNull(text(context, "sessionId"), str(properties, "session_id")),
                eventTime, env.receivedAt(), explicit != null ? explicit : original, sentAt,
                segmentPlatform(context, libraryName, type),
                text(context, "location", "country"), text(context, "location", "region"), text(context, "location", "city"),
                text(context, "device", "model"), text(context, "os", "name"), text(context, "os", "version"),
                text(context, "app", "version"),
                pageUrl, pageTitle, pagePath, referrer,
                firstNonNull(text(context, "ip"), env.ip()),
                firstNonNull(text(context, "userAgent"), env.userAgent()),
                libraryName, text(context, "library", "version"),
                groupId, previousId,
                properties, traits, List.of(), null);
    }

    private static Event mapNative(RawEnvelope env) {
        JsonNode in = env.payload();
        requireObject(in);
        String eventName = id(in, "event_name");
        if (eventName == null) {
            throw reject(RejectionCode.MISSING_EVENT_NAME, "event_name", "\"event_name\" is required");
        }
        String userId = id(in, "user_id");
        String deviceId = id(in, "device_id");
        if (userId == null && deviceId == null) {
            throw reject(RejectionCode.MISSING_USER_ID, "user_id", "either \"user_id\" or \"device_id\" is required");
        }
        Map<String, Object> properties = object(in, "properties");
        Long clientTime = time(in, "event_time");
        Long sentAt = time(in, "sent_at");
        long eventTime = EventTimes.eventTime(null, clientTime, sentAt, env.receivedAt());
        return new Event(
                env.eventId(), env.projectId(), EventType.TRACK, eventName, userId, deviceId,
                text(in, "session_id"), eventTime, env.receivedAt(), clientTime, sentAt,
                lower(text(in, "platform")), text(in, "country"), text(in, "region"), text(in, "city"),
                text(in, "device_model"), text(in, "os_name"), text(in, "os_version"), text(in, "app_version"),
                firstNonNull(text(in, "page_url"), str(properties, "page_url")),
                firstNonNull(text(in, "page_title"), str(properties, "page_title")),
                null,
                firstNonNull(text(in, "referrer"), str(properties, "referrer")),
                env.ip(), env.userAgent(),
                text(in, "library_name"), text(in, "library_version"),
                null, null, properties, Map.of(), List.of(), null);
    }

    private static String segmentPlatform(JsonNode context, String libraryName, EventType type) {
        String deviceType = lower(text(context, "device", "type"));
        if (deviceType != null) {
            return deviceType;
        }
        String os = lower(text(context, "os", "name"));
        if (os != null && (os.contains("ios") || os.contains("android"))) {
            return os.contains("ios") ? "ios" : "android";
        }
        String lib = lower(libraryName);
        if (lib != null) {
            if (lib.contains("android")) {
                return "android";
            }
            if (lib.contains("ios") || lib.contains("swift")) {
                return "ios";
            }
            if (lib.contains("analytics.js") || lib.contains("analytics-next") || lib.contains("web")) {
                return "web";
            }
            return "server";
        }
        if (type == EventType.PAGE || (context != null && context.has("page"))) {
            return "web";
        }
        return null;
    }

    // ---- field readers: each returns null for absent/null/empty and rejects wrong JSON types ----

    private static void requireObject(JsonNode in) {
        if (in == null || !in.isObject()) {
            throw reject(RejectionCode.NOT_AN_OBJECT, null, "an event must be a JSON object");
        }
    }

    /** An identifier: a string (or a number, which SDKs sometimes send for ids) of bounded length. */
    private static String id(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw reject(RejectionCode.INVALID_FIELD_TYPE, field, "\"" + field + "\" must be a string; got " + kind(v));
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > MAX_ID_LENGTH) {
            throw reject(RejectionCode.FIELD_TOO_LONG, field,
                    "\"" + field + "\" is " + s.length() + " characters; at most " + MAX_ID_LENGTH + " are allowed");
        }
        return s;
    }

    private static String text(JsonNode in, String... path) {
        JsonNode v = in;
        for (String p : path) {
            if (v == null || !v.isObject()) {
                return null;
            }
            v = v.get(p);
        }
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    private static JsonNode objectNode(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw reject(RejectionCode.INVALID_FIELD_TYPE, field, "\"" + field + "\" must be an object; got " + kind(v));
        }
        return v;
    }

    private static Map<String, Object> object(JsonNode in, String field) {
        JsonNode v = objectNode(in, field);
        if (v == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), EventCodec.mapper().convertValue(e.getValue(), Object.class));
        }
        return out;
    }

    private static Long time(JsonNode in, String field) {
        return EventTimes.field(in, field, RejectedException::new);
    }

    private static String str(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v == null || v instanceof Map || v instanceof List) {
            return null;
        }
        String s = v.toString();
        return s.isEmpty() ? null : s;
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static RejectedException reject(RejectionCode code, String field, String message) {
        return new RejectedException(Rejection.of(code, field, message));
    }

    /** Internal control flow only: turned into {@link MappingResult.Rejected} by {@link #map}. */
    private static final class RejectedException extends RuntimeException {
        private final Rejection rejection;

        RejectedException(Rejection rejection) {
            super(rejection.message(), null, false, false);
            this.rejection = rejection;
        }
    }
}

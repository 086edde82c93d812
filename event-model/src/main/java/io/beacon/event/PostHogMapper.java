package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Maps one PostHog event ({@link io.beacon.event.WireFormat#POSTHOG}) to the canonical
 * {@link Event}. {@code EventMapper.map} dispatches here, so the gateway and the topology agree.
 *
 * <h2>Identity</h2>
 * PostHog has one {@code distinct_id}; Beacon keeps a user id and an anonymous (device) id:
 * <ul>
 *   <li>{@code $identify}: user id = {@code distinct_id}, anonymous id = {@code $anon_distinct_id}
 *       (the id the visitor had before logging in), so the row links the two.</li>
 *   <li>{@code $create_alias}: user id = {@code distinct_id}, previous id = {@code properties.alias}
 *       (the other id of the same person).</li>
 *   <li>Any other event: anonymous while posthog-js says so ({@code $is_identified: false}, or
 *       {@code distinct_id} equal to {@code $device_id}): anonymous id = {@code distinct_id}.
 *       Otherwise user id = {@code distinct_id} and anonymous id = {@code $device_id} when it differs.
 *       Server SDKs send neither, so their ids are user ids.</li>
 * </ul>
 *
 * <h2>Columns</h2>
 * {@code $session_id} → session id; {@code $current_url} → page URL; {@code $pathname} → page path;
 * {@code title} (posthog-js sends it with {@code $pageview}) → page title; {@code $referrer} →
 * referrer ({@code "$direct"} means none); {@code $os}/{@code $os_version} → OS;
 * {@code $device_model}, else {@code $device}, else {@code $device_type} ("Desktop") → device model;
 * {@code $lib} → platform (web, ios, android, else server) and library name; {@code $raw_user_agent}
 * and {@code $ip} override the HTTP request's. {@code $browser}, {@code $screen_*}, {@code $el_text},
 * {@code $elements_chain} and everything else stay properties (stored as they are, by name).
 *
 * <h2>Person properties</h2>
 * {@code $set} (top level or in properties) becomes the traits; {@code $set_once} is kept in the
 * traits as one object under {@code "$set_once"}, without its null values (posthog-js sends dozens of
 * {@code $initial_utm_*: null}), so identity logic can apply the set-once rule later.
 *
 * <h2>Time</h2>
 * PostHog's capture rule: with {@code offset} (ms before sending), the event time is
 * {@code received_at − offset}; otherwise {@code timestamp} (else {@code properties.$time}, epoch
 * seconds) is corrected for clock skew with {@code sent_at} as {@link EventTimes} does.
 */
public final class PostHogMapper {
    /** Marker value of {@code $referrer}/{@code $referring_domain} for a visit without referrer. */
    public static final String DIRECT = "$direct";

    private PostHogMapper() {
    }

    public static MappingResult map(RawEnvelope envelope) {
        try {
            return new MappingResult.Mapped(mapEvent(envelope));
        } catch (Refusal r) {
            return new MappingResult.Rejected(r.rejection);
        }
    }

    /** The event type a PostHog event name stands for: its {@code $}-names map to Segment's calls. */
    public static EventType typeOf(String eventName) {
        return switch (eventName) {
            case "$identify" -> EventType.IDENTIFY;
            case "$create_alias" -> EventType.ALIAS;
            case "$pageview" -> EventType.PAGE;
            case "$screen" -> EventType.SCREEN;
            case "$groupidentify" -> EventType.GROUP;
            default -> EventType.TRACK;
        };
    }

    private static Event mapEvent(RawEnvelope env) {
        JsonNode in = env.payload();
        if (in == null || !in.isObject()) {
            throw refuse(RejectionCode.NOT_AN_OBJECT, null, "an event must be a JSON object");
        }
        String eventName = id(in, "event");
        if (eventName == null) {
            throw refuse(RejectionCode.MISSING_EVENT_NAME, "event", "an event needs a non-empty \"event\" name");
        }
        JsonNode props = in.get("properties");
        if (props != null && !props.isNull() && !props.isObject()) {
            throw refuse(RejectionCode.INVALID_FIELD_TYPE, "properties", "\"properties\" must be an object; got " + kind(props));
        }
        if (props == null || props.isNull()) {
            props = EventCodec.mapper().createObjectNode();
        }
        String distinctId = firstNonNull(id(in, "distinct_id"), id(in, "$distinct_id"), id(props, "distinct_id"), id(props, "$distinct_id"));
        if (distinctId == null) {
            throw refuse(RejectionCode.MISSING_USER_ID, "distinct_id", "an event needs a \"distinct_id\"");
        }
        EventType type = typeOf(eventName);
        String deviceId = id(props, "$device_id");
        String userId;
        String anonymousId;
        String previousId = null;
        String groupId = null;
        switch (type) {
            case IDENTIFY -> {
                userId = distinctId;
                anonymousId = firstNonNull(id(props, "$anon_distinct_id"), distinctId.equals(deviceId) ? null : deviceId);
            }
            case ALIAS -> {
                userId = distinctId;
                anonymousId = null;
                previousId = id(props, "alias");
                if (previousId == null) {
                    throw refuse(RejectionCode.MISSING_PREVIOUS_ID, "properties.alias", "a $create_alias event needs \"properties.alias\"");
                }
            }
            default -> {
                JsonNode identified = props.get("$is_identified");
                boolean anonymous = (identified != null && identified.isBoolean() && !identified.asBoolean()) || distinctId.equals(deviceId);
                userId = anonymous ? null : distinctId;
                anonymousId = anonymous ? distinctId : (distinctId.equals(deviceId) ? null : deviceId);
            }
        }
        if (type == EventType.GROUP) {
            groupId = id(props, "$group_key");
            if (groupId == null) {
                throw refuse(RejectionCode.MISSING_GROUP_ID, "properties.$group_key", "a $groupidentify event needs \"properties.$group_key\"");
            }
        }

        Long timestamp = time(in, "timestamp");
        Long sentAt = time(in, "sent_at");
        Long clientTime = timestamp != null ? timestamp : secondsTime(props.get("$time"));
        long eventTime;
        JsonNode offset = in.get("offset");
        if (offset != null && !offset.isNull()) {
            if (!offset.isIntegralNumber() || offset.asLong() < 0) {
                throw refuse(RejectionCode.INVALID_TIMESTAMP, "offset", "\"offset\" must be a non-negative number of milliseconds; got " + offset);
            }
            eventTime = env.receivedAt() - offset.asLong();
        } else {
            eventTime = EventTimes.eventTime(null, clientTime, sentAt, env.receivedAt());
        }

        Map<String, Object> properties = toMap(props);
        properties.remove("distinct_id");
        properties.remove("$distinct_id");
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.putAll(objectMap(props, "$set"));
        traits.putAll(objectMap(in, "$set"));
        Map<String, Object> setOnce = new LinkedHashMap<>();
        setOnce.putAll(objectMap(props, "$set_once"));
        setOnce.putAll(objectMap(in, "$set_once"));
        setOnce.values().removeIf(Objects::isNull);
        if (!setOnce.isEmpty()) {
            traits.put("$set_once", setOnce);
        }
        properties.remove("$set");
        properties.remove("$set_once");
        if (!properties.containsKey("$el_text")) {
            String elText = firstElementText(props.get("$elements"));
            if (elText != null) {
                properties.put("$el_text", elText);
            }
        }

        String referrer = text(props, "$referrer");
        String lib = text(props, "$lib");
        return new Event(
                env.eventId(), env.projectId(), type, eventName, userId, anonymousId,
                text(props, "$session_id"),
                eventTime, env.receivedAt(), clientTime, sentAt,
                platform(lib, text(props, "$os")),
                null, null, null,
                firstNonNull(text(props, "$device_model"), text(props, "$device"), text(props, "$device_type")),
                text(props, "$os"), text(props, "$os_version"), text(props, "$app_version"),
                text(props, "$current_url"),
                firstNonNull(text(props, "title"), text(props, "$title")),
                text(props, "$pathname"),
                DIRECT.equals(referrer) ? null : referrer,
                firstNonNull(text(props, "$ip"), env.ip()),
                firstNonNull(text(props, "$raw_user_agent"), env.userAgent()),
                lib, text(props, "$lib_version"),
                groupId, previousId,
                properties, traits, List.of(), null);
    }

    /** web for posthog-js, ios/android for the mobile SDKs (React Native and Flutter by their OS), server otherwise. */
    private static String platform(String lib, String os) {
        if (lib == null) {
            return null;
        }
        String l = lib.toLowerCase(Locale.ROOT);
        if (l.equals("web") || l.startsWith("posthog-js")) {
            return "web";
        }
        if (l.contains("ios")) {
            return "ios";
        }
        if (l.contains("android")) {
            return "android";
        }
        if (l.contains("react-native") || l.contains("flutter")) {
            String o = os == null ? "" : os.toLowerCase(Locale.ROOT);
            return o.contains("ios") ? "ios" : o.contains("android") ? "android" : "mobile";
        }
        return "server";
    }

    /** {@code $el_text} of the clicked element in an {@code $elements} array (SDKs that send no {@code $elements_chain}). */
    private static String firstElementText(JsonNode elements) {
        if (elements == null || !elements.isArray() || elements.isEmpty()) {
            return null;
        }
        JsonNode first = elements.get(0);
        return first.isObject() ? text(first, "$el_text") : null;
    }

    // ---- field readers: null for absent/null/empty values, refusals for wrong JSON types ----

    private static String id(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw refuse(RejectionCode.INVALID_FIELD_TYPE, field, "\"" + field + "\" must be a string; got " + kind(v));
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > Event.MAX_ID_LENGTH) {
            throw refuse(RejectionCode.FIELD_TOO_LONG, field,
                    "\"" + field + "\" is " + s.length() + " characters; at most " + Event.MAX_ID_LENGTH + " are allowed");
        }
        return s;
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    private static Long time(JsonNode in, String field) {
        return EventTimes.field(in, field, Refusal::new);
    }

    /** posthog-js's {@code $time}: epoch seconds with a fraction; ignored when not a number. */
    private static Long secondsTime(JsonNode v) {
        return v != null && v.isNumber() ? Math.round(v.asDouble() * 1000) : null;
    }

    private static Map<String, Object> objectMap(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw refuse(RejectionCode.INVALID_FIELD_TYPE, field, "\"" + field + "\" must be an object; got " + kind(v));
        }
        return toMap(v);
    }

    private static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), EventCodec.mapper().convertValue(e.getValue(), Object.class));
        }
        return out;
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
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

    private static Refusal refuse(RejectionCode code, String field, String message) {
        return new Refusal(Rejection.of(code, field, message));
    }

    /** Internal control flow only: turned into {@link MappingResult.Rejected} by {@link #map}. */
    private static final class Refusal extends RuntimeException {
        private final transient Rejection rejection;

        Refusal(Rejection rejection) {
            super(rejection.message(), null, false, false);
            this.rejection = rejection;
        }
    }
}

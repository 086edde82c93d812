package io.beacon.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The field-naming conventions an incoming item may use. */
public enum WireFormat {
    /** Segment's HTTP tracking API (camelCase: {@code userId}, {@code anonymousId}, {@code event}). */
    SEGMENT,
    /** Beacon's original design names (snake_case: {@code event_name}, {@code user_id}, {@code device_id}). */
    NATIVE,
    /**
     * PostHog's capture API ({@code event}, {@code distinct_id}, {@code properties}, {@code uuid}):
     * known from the endpoint it arrived on, never detected; see {@link io.beacon.event.posthog}.
     */
    POSTHOG;

    /**
     * Native when the item uses any of the native-only field names, Segment otherwise (for the
     * {@code /v1} endpoints; PostHog items are marked {@link #POSTHOG} by their endpoint).
     */
    public static WireFormat detect(JsonNode item) {
        if (item.has("event_name") || item.has("user_id") || item.has("device_id") || item.has("event_time")) {
            return NATIVE;
        }
        return SEGMENT;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static WireFormat fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

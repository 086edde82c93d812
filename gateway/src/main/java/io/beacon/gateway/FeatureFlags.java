package io.beacon.gateway;

import java.util.Map;

/**
 * The feature flags the PostHog-compatible {@code /flags} and {@code /decide} endpoints answer
 * (posthog-js evaluates them on the server). The platform implements it with the A/B testing
 * module's assignments (experiment key → variation key); {@link #none()} answers no flags.
 * Implementations must be thread-safe and must not block: the gateway calls them on the HTTP
 * dispatcher.
 */
public interface FeatureFlags {

    /**
     * The flags of one user.
     *
     * @param projectId        the project the request's token belongs to
     * @param distinctId       the SDK's {@code distinct_id} (never null)
     * @param personProperties the SDK's {@code person_properties}, plus {@code $device_id} when the
     *                         SDK sent one; read only
     * @return flag key → value: a {@link String} (the variant served) or a {@link Boolean} (flag on
     *         or off); other values are sent as their string form
     */
    Map<String, Object> flagsFor(String projectId, String distinctId, Map<String, Object> personProperties);

    /**
     * Whether the project may have flags: the remote config tells posthog-js so, and posthog-js skips
     * loading flags at start-up when it is false. Implementations that cannot tell cheaply keep the
     * default {@code true}.
     */
    default boolean hasFlags(String projectId) {
        return true;
    }

    /** No flags for anyone: {@code /flags} answers empty flag maps. */
    static FeatureFlags none() {
        return NoFeatureFlags.INSTANCE;
    }
}

/** {@link FeatureFlags#none()}. */
enum NoFeatureFlags implements FeatureFlags {
    INSTANCE;

    @Override
    public Map<String, Object> flagsFor(String projectId, String distinctId, Map<String, Object> personProperties) {
        return Map.of();
    }

    @Override
    public boolean hasFlags(String projectId) {
        return false;
    }
}

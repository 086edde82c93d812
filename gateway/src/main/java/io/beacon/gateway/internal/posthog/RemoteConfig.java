package io.beacon.gateway.internal.posthog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import java.util.Map;
import java.util.UUID;

/**
 * The answers posthog-js asks for at start-up, so it runs as against PostHog, without errors and
 * without loading anything else:
 * <ul>
 *   <li>{@code GET /array/<token>/config} (remote config): gzip is supported (the SDK then
 *       sends gzip bodies), autocapture is not opted out (posthog-js captures clicks only after
 *       the server said so), the elements chain is sent as a string (not the bulky
 *       {@code $elements} array), and session recording, surveys, heatmaps, dead clicks, web
 *       vitals, exception capture and site apps are off: Beacon does not serve them.</li>
 *   <li>{@code /flags} and the legacy {@code /decide}: the user's feature flags (from the
 *       {@link io.beacon.gateway.FeatureFlags} port: running experiments' variations) in both the v2
 *       shape ({@code "flags": {key: {"key", "enabled", "variant"}}}) and the v1 shape
 *       ({@code "featureFlags": {key: variant | true | false}}), no payloads, plus the same settings
 *       for SDKs that read them from there.</li>
 * </ul>
 * {@code hasFeatureFlags} matters: posthog-js does not load flags at start-up when the remote config
 * says {@code false}.
 */
public final class RemoteConfig {
    private RemoteConfig() {
    }

    /** The remote config document of a project's token, for a project without flags. */
    public static ObjectNode config(String token) {
        return config(token, false);
    }

    /** The remote config document of a project's token; {@code hasFlags}: whether the project may have flags. */
    public static ObjectNode config(String token, boolean hasFlags) {
        ObjectNode config = settings();
        config.put("token", token);
        config.put("hasFeatureFlags", hasFlags);
        return config;
    }

    /** {@code /flags} (v1 and v2 shapes at once) and {@code /decide}: no flags, and the settings. */
    public static ObjectNode flags() {
        return flags(Map.of(), false);
    }

    /**
     * {@code /flags} (v1 and v2 shapes at once) and {@code /decide}: the given flags, and the settings.
     *
     * @param values flag key → variant ({@link String}) or on/off ({@link Boolean}); any other value is
     *               sent as its string form, null values are left out
     * @param errors whether computing the flags failed ({@code errorsWhileComputingFlags})
     */
    public static ObjectNode flags(Map<String, ?> values, boolean errors) {
        ObjectNode body = settings();
        ObjectNode details = body.putObject("flags");
        ObjectNode featureFlags = body.putObject("featureFlags");
        values.forEach((key, value) -> {
            if (key == null || value == null) {
                return;
            }
            ObjectNode detail = details.putObject(key);
            detail.put("key", key);
            if (value instanceof Boolean on) {
                detail.put("enabled", on);
                detail.putNull("variant");
                featureFlags.put(key, on);
            } else {
                String variant = value.toString();
                detail.put("enabled", true);
                detail.put("variant", variant);
                featureFlags.put(key, variant);
            }
        });
        body.put("hasFeatureFlags", !featureFlags.isEmpty());
        body.putObject("featureFlagPayloads");
        body.put("errorsWhileComputingFlags", errors);
        body.putArray("quotaLimited");
        body.put("requestId", UUID.randomUUID().toString());
        body.putObject("config").put("enable_collect_everything", true);
        body.put("isAuthenticated", false);
        return body;
    }

    private static ObjectNode settings() {
        ObjectNode c = EventCodec.mapper().createObjectNode();
        c.putArray("supportedCompression").add("gzip").add("gzip-js");
        c.put("hasFeatureFlags", false);
        c.put("autocapture_opt_out", false);
        c.put("elementsChainAsString", true);
        c.put("autocaptureExceptions", false);
        c.put("captureDeadClicks", false);
        c.put("capturePerformance", false);
        c.put("heatmaps", false);
        c.put("sessionRecording", false);
        c.put("surveys", false);
        c.put("productTours", false);
        c.putArray("siteApps");
        c.putObject("toolbarParams");
        return c;
    }
}

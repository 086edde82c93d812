package io.beacon.gateway.internal.posthog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
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
 *   <li>{@code /flags} and the legacy {@code /decide}: no feature flags (until the A/B module
 *       serves them), plus the same settings for SDKs that read them from there.</li>
 * </ul>
 */
public final class RemoteConfig {
    private RemoteConfig() {
    }

    /** The remote config document of a project's token. */
    public static ObjectNode config(String token) {
        ObjectNode config = settings();
        config.put("token", token);
        return config;
    }

    /** {@code /flags} (v1 and v2 shapes at once) and {@code /decide}: no flags, and the settings. */
    public static ObjectNode flags() {
        ObjectNode body = settings();
        body.putObject("flags");
        body.putObject("featureFlags");
        body.putObject("featureFlagPayloads");
        body.put("errorsWhileComputingFlags", false);
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

package io.beacon.gateway.runtime;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractMaterializer;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import io.beacon.event.EventType;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.FeatureFlags;
import io.beacon.gateway.GatewayMetrics;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.KafkaEventLog;
import io.beacon.gateway.WriteKeys;
import io.beacon.gateway.internal.CollectionHandler;
import io.beacon.gateway.internal.HttpErrors;
import io.beacon.gateway.internal.posthog.CorsPolicy;
import io.beacon.gateway.internal.posthog.PostHogCaptureHandler;
import io.beacon.gateway.internal.posthog.PostHogFlagsHandler;
import io.beacon.gateway.internal.posthog.PostHogRoutes;
import java.time.Clock;
import java.util.Objects;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The collection API. Segment-compatible: {@code POST /v1/track}, {@code /v1/identify},
 * {@code /v1/page}, {@code /v1/screen}, {@code /v1/group}, {@code /v1/alias} and {@code /v1/batch}
 * (plus analytics.js's one-letter aliases {@code /v1/t}, {@code /v1/i}, {@code /v1/p},
 * {@code /v1/s}, {@code /v1/g}, {@code /v1/a}, {@code /v1/b}). PostHog-compatible, so posthog-js and
 * PostHog's other SDKs work with only their {@code api_host} changed: {@code /e}, {@code /i/v0/e},
 * {@code /capture}, {@code /track}, {@code /batch} (GET, POST, CORS preflight; gzip, base64, lz64 and
 * form encodings), {@code /decide}, {@code /flags} and {@code /array/<token>/config}.
 *
 * <p>{@link #route()} is composed by the platform into its one HTTP server. The route owns the
 * {@code /v1/} prefix: unknown paths below it answer JSON 404, a wrong method JSON 405; paths
 * outside it are left to the other routes. The server must run with
 * {@code pekko.http.server.remote-address-attribute = on} for client IPs to be known.
 *
 * <pre>{@code
 * Gateway gateway = new Gateway(settings, writeKeys, new KafkaEventLog(settings.kafka()));
 * Http.get(system).newServerAt(host, port)
 *     .adaptSettings(s -> s.withRemoteAddressAttribute(true))
 *     .bind(concat(gateway.route(), otherRoutes));
 * }</pre>
 */
public final class Gateway {
    private final CollectionHandler handler;
    private final HttpErrors errors;
    private final PostHogRoutes posthog;
    private final GatewayMetrics metrics;

    /** With the system clock for {@code received_at}. */
    public Gateway(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog) {
        this(settings, writeKeys, eventLog, Clock.systemUTC());
    }

    /**
     * @param settings  limits, timeouts, proxy trust
     * @param writeKeys resolves write keys to projects
     * @param eventLog  where accepted events go ({@link KafkaEventLog} in production)
     * @param clock     the server clock stamped as {@code received_at}
     */
    public Gateway(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, Clock clock) {
        this(settings, writeKeys, eventLog, clock, FeatureFlags.none());
    }

    /** With the system clock, answering {@code /flags} and {@code /decide} from {@code featureFlags}. */
    public Gateway(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, FeatureFlags featureFlags) {
        this(settings, writeKeys, eventLog, Clock.systemUTC(), featureFlags);
    }

    /**
     * @param settings     limits, timeouts, proxy trust
     * @param writeKeys    resolves write keys to projects
     * @param eventLog     where accepted events go ({@link KafkaEventLog} in production)
     * @param clock        the server clock stamped as {@code received_at}
     * @param featureFlags the flags {@code /flags} and {@code /decide} answer ({@link FeatureFlags#none()}: none)
     */
    public Gateway(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, Clock clock, FeatureFlags featureFlags) {
        this(settings, writeKeys, eventLog, clock, featureFlags, metricsOf(eventLog));
    }

    /**
     * @param metrics where the gateway records its counters and latencies (by default a {@link KafkaEventLog}'s own,
     *                {@link KafkaEventLog#metrics()}, so the node serving the log serves them; else new ones)
     */
    public Gateway(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, Clock clock, FeatureFlags featureFlags,
                   GatewayMetrics metrics) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(featureFlags, "featureFlags");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.errors = new HttpErrors(settings.retryAfterSeconds());
        this.handler = new CollectionHandler(settings, Objects.requireNonNull(writeKeys, "writeKeys"),
                Objects.requireNonNull(eventLog, "eventLog"), Objects.requireNonNull(clock, "clock"), errors, metrics);
        this.posthog = new PostHogRoutes(new PostHogCaptureHandler(settings, writeKeys, eventLog, clock, errors, metrics),
                new PostHogFlagsHandler(settings, writeKeys, featureFlags), featureFlags,
                new CorsPolicy(settings.posthog().allowedOrigins()), writeKeys, errors);
    }

    private static GatewayMetrics metricsOf(EventLog eventLog) {
        return eventLog instanceof KafkaEventLog kafka ? kafka.metrics() : new GatewayMetrics();
    }

    /** The counters and latencies this gateway records. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * The collection routes, with their own error handling (errors are JSON): the Segment API under
     * {@code /v1/} and the PostHog capture protocol ({@code /e}, {@code /i/v0/e}, {@code /capture},
     * {@code /track}, {@code /batch}, {@code /decide}, {@code /flags}, {@code /array/<token>/config}).
     */
    public Route route() {
        return concat(segmentRoute(), posthog.route());
    }

    private Route segmentRoute() {
        return pathPrefix("v1", () ->
                handleExceptions(errors.exceptionHandler(), () ->
                        handleRejections(errors.rejectionHandler(), () -> concat(
                                call(EventType.TRACK, "track", "t"),
                                call(EventType.IDENTIFY, "identify", "i"),
                                call(EventType.PAGE, "page", "p"),
                                call(EventType.SCREEN, "screen", "s"),
                                call(EventType.GROUP, "group", "g"),
                                call(EventType.ALIAS, "alias", "a"),
                                call(null, "batch", "b")))));
    }

    private Route call(EventType type, String name, String shortName) {
        Route handle = post(() -> extractRequest(request -> extractMaterializer(materializer ->
                onSuccess(handler.handle(request, type, materializer), Directives::complete))));
        return concat(path(name, () -> handle), path(shortName, () -> handle));
    }
}

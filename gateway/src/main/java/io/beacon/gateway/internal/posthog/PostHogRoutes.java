package io.beacon.gateway.internal.posthog;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractMaterializer;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.options;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.FeatureFlags;
import io.beacon.gateway.WriteKeys;
import io.beacon.gateway.internal.HttpErrors;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The PostHog capture protocol's HTTP surface: capture at {@code /e}, {@code /i/v0/e},
 * {@code /capture}, {@code /track} and {@code /batch}; {@code /decide} and {@code /flags}; the remote
 * config at {@code /array/<token>/config}. Each path with or without a trailing slash, GET and POST,
 * and CORS preflights. Only these paths are claimed: everything else is left to the other routes.
 */
public final class PostHogRoutes {
    private final PostHogCaptureHandler capture;
    private final PostHogFlagsHandler flags;
    private final FeatureFlags featureFlags;
    private final CorsPolicy cors;
    private final WriteKeys writeKeys;
    private final HttpErrors errors;

    public PostHogRoutes(PostHogCaptureHandler capture, PostHogFlagsHandler flags, FeatureFlags featureFlags, CorsPolicy cors,
                         WriteKeys writeKeys, HttpErrors errors) {
        this.capture = capture;
        this.flags = flags;
        this.featureFlags = featureFlags;
        this.cors = cors;
        this.writeKeys = writeKeys;
        this.errors = errors;
    }

    public Route route() {
        Route captureCall = endpoint(() -> {
            Route handle = extractRequest(request -> extractMaterializer(materializer ->
                    onSuccess(capture.handle(request, materializer), Directives::complete)));
            return concat(post(() -> handle), get(() -> handle));
        });
        Route flagsCall = endpoint(() -> {
            Route answer = extractRequest(request -> extractMaterializer(materializer ->
                    onSuccess(flags.handle(request, materializer), Directives::complete)));
            return concat(post(() -> answer), get(() -> answer));
        });
        return concat(
                pathPrefix("e", () -> pathEndOrSingleSlash(() -> captureCall)),
                pathPrefix(PathMatchers.segment("i").slash("v0").slash("e"), () -> pathEndOrSingleSlash(() -> captureCall)),
                pathPrefix("capture", () -> pathEndOrSingleSlash(() -> captureCall)),
                pathPrefix("track", () -> pathEndOrSingleSlash(() -> captureCall)),
                pathPrefix("batch", () -> pathEndOrSingleSlash(() -> captureCall)),
                pathPrefix("decide", () -> pathEndOrSingleSlash(() -> flagsCall)),
                pathPrefix("flags", () -> pathEndOrSingleSlash(() -> flagsCall)),
                pathPrefix(PathMatchers.segment("array").slash(PathMatchers.segment()), token ->
                        pathPrefix("config", () -> pathEndOrSingleSlash(() -> endpoint(() -> get(() -> remoteConfig(token)))))));
    }

    private Route remoteConfig(String token) {
        Optional<String> project = writeKeys.projectFor(token);
        if (project.isEmpty()) {
            return complete(errors.refused(Rejection.of(RejectionCode.INVALID_WRITE_KEY, "the token names no project")));
        }
        boolean hasFlags;
        try {
            hasFlags = featureFlags.hasFlags(project.get());
        } catch (RuntimeException e) {
            hasFlags = true; // let the SDK ask /flags, which reports the failure
        }
        return complete(HttpErrors.json(StatusCodes.OK, RemoteConfig.config(token, hasFlags)));
    }

    /**
     * One matched endpoint: the origin check, CORS headers on every answer (errors included, so the
     * browser lets the SDK see the status), preflights, and JSON errors for refusals, outages and
     * wrong methods.
     */
    private Route endpoint(Supplier<Route> methods) {
        return extractRequest(request -> {
            Optional<String> origin = CorsPolicy.origin(request);
            if (origin.isPresent() && !cors.allows(origin.get(), request)) {
                return complete(HttpErrors.originNotAllowed());
            }
            return respondWithHeaders(cors.responseHeaders(origin), () ->
                    handleExceptions(errors.exceptionHandler(), () ->
                            handleRejections(errors.rejectionHandler(), () -> concat(
                                    options(() -> preflight(request)),
                                    methods.get()))));
        });
    }

    private Route preflight(HttpRequest request) {
        return respondWithHeaders(cors.preflightHeaders(request), () ->
                complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)));
    }
}

package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.EventLogUnavailableException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps what went wrong to an HTTP answer: rejection codes to statuses, failures
 * (exceptions) to rejection codes, routing rejections (unknown path, wrong method) to JSON 404/405.
 * Anything it does not recognize is a bug in the gateway and becomes a logged 500.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    /** Error code of a 500; not a {@link RejectionCode} because the client did nothing wrong. */
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private final long retryAfterSeconds;

    /** @param retryAfterSeconds the {@code Retry-After} of 503 answers */
    public HttpErrors(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The status of a refusal with {@code code}. Bad input is always 4xx. */
    public static StatusCode statusFor(RejectionCode code) {
        return switch (code) {
            case MISSING_WRITE_KEY, INVALID_WRITE_KEY -> StatusCodes.UNAUTHORIZED;
            case EVENT_TOO_LARGE, REQUEST_TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
            case SERVICE_UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
            default -> StatusCodes.BAD_REQUEST;
        };
    }

    /** The answer to a request refused as a whole. */
    public HttpResponse refused(Rejection rejection) {
        HttpResponse response = json(statusFor(rejection.code()), ResponseBodies.error(rejection));
        if (rejection.code() == RejectionCode.SERVICE_UNAVAILABLE) {
            response = response.addHeader(RetryAfter.create(retryAfterSeconds));
        }
        return response;
    }

    /** 400 for a batch none of whose items was accepted; {@code error} summarizes the first reason. */
    public HttpResponse batchRefused(List<IncomingRequest.Prepared> rejected) {
        Rejection first = rejected.get(0).rejection();
        Rejection summary = new Rejection(first.code(),
                "all " + rejected.size() + " events of the batch were rejected; the first (index " + rejected.get(0).index()
                        + "): " + first.message(), first.field());
        return json(StatusCodes.BAD_REQUEST, ResponseBodies.batch(0, rejected, summary));
    }

    /** 200 for a batch of which {@code accepted} items were written and {@code rejected} reported. */
    public static HttpResponse batchAccepted(int accepted, List<IncomingRequest.Prepared> rejected) {
        return json(StatusCodes.OK, ResponseBodies.batch(accepted, rejected, null));
    }

    /** 200 {@code {"status":1}}: PostHog's capture answer, with the refused events listed when there are any. */
    public static HttpResponse captured(int accepted, List<IncomingRequest.Prepared> rejected) {
        return json(StatusCodes.OK, ResponseBodies.captured(accepted, rejected));
    }

    /** 204 without a body: the answer to {@code beacon=1} requests ({@code navigator.sendBeacon} never reads one). */
    public static HttpResponse noContent() {
        return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    }

    /** 403 for a browser request from an origin the PostHog endpoints do not allow (CORS). */
    public static HttpResponse originNotAllowed() {
        return json(StatusCodes.FORBIDDEN, ResponseBodies.error("ORIGIN_NOT_ALLOWED",
                "this origin may not send events; add it to beacon.gateway.posthog.allowed-origins", null));
    }

    /** 200 {@code {"success":true}}. */
    public static HttpResponse success() {
        return json(StatusCodes.OK, ResponseBodies.success());
    }

    /**
     * The rejection a failure stands for, or {@code null} when it is a bug. Unwraps the wrappers of
     * asynchronous stages.
     */
    static Rejection rejectionFor(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof RequestRefusedException refused) {
            return refused.rejection();
        }
        if (t instanceof EventLogUnavailableException || t instanceof TimeoutException) {
            return Rejection.of(RejectionCode.SERVICE_UNAVAILABLE, "events cannot be stored right now; retry later");
        }
        return null;
    }

    /** Maps every exception that escapes a collection route: refusals and outages as such, the rest to 500. */
    public ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder()
                .matchAny(failure -> {
                    Rejection rejection = rejectionFor(failure);
                    if (rejection != null) {
                        if (rejection.code() == RejectionCode.SERVICE_UNAVAILABLE) {
                            LOG.debug("answering 503", unwrap(failure));
                        }
                        return Directives.complete(refused(rejection));
                    }
                    LOG.error("unexpected failure handling a collection request", unwrap(failure));
                    return Directives.complete(json(StatusCodes.INTERNAL_SERVER_ERROR,
                            ResponseBodies.error(INTERNAL_ERROR, "the gateway failed unexpectedly; this is a bug", null)));
                })
                .build();
    }

    /** JSON 405 (with {@code Allow}) for a known path with the wrong method, JSON 404 for unknown paths. */
    public RejectionHandler rejectionHandler() {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rejections -> {
                    String allowed = rejections.stream().map(r -> r.supported().name()).distinct().collect(Collectors.joining(", "));
                    return Directives.complete(json(StatusCodes.METHOD_NOT_ALLOWED,
                                    ResponseBodies.error("METHOD_NOT_ALLOWED", "this endpoint accepts " + allowed, null))
                            .addHeader(Allow.create(rejections.stream().map(MethodRejection::supported).distinct()
                                    .toArray(org.apache.pekko.http.javadsl.model.HttpMethod[]::new))));
                })
                .handleNotFound(Directives.complete(json(StatusCodes.NOT_FOUND,
                        ResponseBodies.error("NOT_FOUND", "no such endpoint; see /v1/track, /v1/identify, /v1/page, "
                                + "/v1/screen, /v1/group, /v1/alias, /v1/batch", null))))
                .build()
                .withFallback(RejectionHandler.defaultHandler())
                .mapRejectionResponse(HttpErrors::asJson);
    }

    /** Pekko's default rejection answers are text; wrap them in the same error shape. */
    private static HttpResponse asJson(HttpResponse response) {
        if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
            return response;
        }
        String text = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
                ? strict.getData().utf8String() : response.status().reason();
        return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                EventCodec.encode(ResponseBodies.error(
                response.status().reason().toUpperCase(java.util.Locale.ROOT).replace(' ', '_'), text, null))));
    }

    /** A JSON answer. */
    public static HttpResponse json(StatusCode status, JsonNode body) {
        return HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, EventCodec.encode(body)));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}

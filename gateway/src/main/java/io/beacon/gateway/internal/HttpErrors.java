package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.IncomingRequest;
import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.EventLogUnavailableException;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.JsonRejections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's answers on the HTTP kit's error body: rejection codes to statuses, failures (exceptions)
 * to rejection codes, routing rejections (unknown path, wrong method) to JSON 404/405
 * ({@link JsonRejections}). Anything it does not recognize is a bug in the gateway and becomes a logged 500.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    /** Error code of a 500; not a {@link RejectionCode} because the client did nothing wrong. */
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private final long retryAfterSeconds;
    /** Refusals and outages as such, anything else a logged 500. */
    private final ApiErrors errors;

    /** @param retryAfterSeconds the {@code Retry-After} of 503 answers */
    public HttpErrors(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.errors = ApiErrors.of(failure -> Optional.ofNullable(rejectionFor(failure)).map(rejection -> {
            if (rejection.code() == RejectionCode.SERVICE_UNAVAILABLE) {
                LOG.debug("answering 503", failure);
            }
            return error(rejection);
        }), failure -> {
            LOG.error("unexpected failure handling a collection request", failure);
            return Optional.of(ApiError.of(StatusCodes.INTERNAL_SERVER_ERROR.intValue(), INTERNAL_ERROR,
                    "the gateway failed unexpectedly; this is a bug", null));
        });
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
        return error(rejection).toResponse();
    }

    private ApiError error(Rejection rejection) {
        ApiError error = ApiError.of(statusFor(rejection.code()).intValue(), rejection.code().name(), rejection.message(), rejection.field());
        return rejection.code() == RejectionCode.SERVICE_UNAVAILABLE ? error.withRetryAfter(retryAfterSeconds) : error;
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
        return ApiErrors.error(StatusCodes.FORBIDDEN.intValue(), "ORIGIN_NOT_ALLOWED",
                "this origin may not send events; add it to beacon.gateway.posthog.allowed-origins", null);
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
        Throwable t = ApiErrors.unwrap(failure);
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
        return errors.exceptionHandler();
    }

    /** JSON 405 (with {@code Allow}) for a known path with the wrong method, JSON 404 for unknown paths. */
    public RejectionHandler rejectionHandler() {
        return JsonRejections.handler("no such endpoint; see /v1/track, /v1/identify, /v1/page, "
                + "/v1/screen, /v1/group, /v1/alias, /v1/batch");
    }

    /** A JSON answer. */
    public static HttpResponse json(StatusCode status, JsonNode body) {
        return Json.response(status.intValue(), body);
    }
}

package io.beacon.httpkit;

import io.beacon.event.RefusedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping of failures to HTTP answers {@code {"error":{"code","message","field"?}}}. In order:
 * the route's {@link ErrorMapping}s (a module's own failure types); an {@link ApiException} as it says (a 401
 * asks for a bearer token, {@code WWW-Authenticate: Bearer});
 * a {@link RefusedException} by its kind — invalid → 400, not found → 404, conflict → 409, limit
 * exceeded → 422, busy → 429 (with {@code Retry-After} when the refusal names one); anything else is a
 * bug → logged, 500 {@code INTERNAL_ERROR}. Completion wrappers are unwrapped first.
 */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final ApiErrors STANDARD = new ApiErrors(List.of());

    private final List<ErrorMapping> mappings;

    private ApiErrors(List<ErrorMapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    /** Without module mappings. */
    public static ApiErrors standard() {
        return STANDARD;
    }

    /** Asking {@code mappings} first, in order. */
    public static ApiErrors of(ErrorMapping... mappings) {
        return new ApiErrors(Arrays.asList(mappings));
    }

    /** These mappings, then {@code more}. */
    public ApiErrors with(ErrorMapping... more) {
        List<ErrorMapping> all = new ArrayList<>(mappings);
        all.addAll(Arrays.asList(more));
        return new ApiErrors(all);
    }

    /** The answer to {@code thrown} as a value. */
    public ApiError toError(Throwable thrown) {
        Throwable t = unwrap(thrown);
        for (ErrorMapping m : mappings) {
            Optional<ApiError> answer = m.map(t);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        if (t instanceof ApiException e) {
            ApiError error = ApiError.of(e.status(), e.code(), e.getMessage(), e.field());
            return e.status() == 401 ? error.withHeader(RawHeader.create("WWW-Authenticate", "Bearer")) : error;
        }
        if (t instanceof RefusedException e) {
            ApiError error = ApiError.of(status(e.kind()), e.code(), e.getMessage(), e.field());
            return e.retryAfterSeconds() > 0 ? error.withRetryAfter(e.retryAfterSeconds()) : error;
        }
        LOG.error("unexpected error in an API route", t);
        return ApiError.of(500, "INTERNAL_ERROR", "internal error", null);
    }

    public HttpResponse toResponse(Throwable thrown) {
        return toError(thrown).toResponse();
    }

    /** Runs {@code call}; whatever it throws or fails with becomes the mapped answer. */
    public CompletionStage<HttpResponse> guard(Supplier<? extends CompletionStage<HttpResponse>> call) {
        CompletionStage<HttpResponse> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(toResponse(e));
        }
        return stage.exceptionally(this::toResponse);
    }

    /** For {@code handleExceptions}: every exception that escapes the routes answered by this mapping. */
    public ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder().matchAny(failure -> Directives.complete(toResponse(failure))).build();
    }

    /** {@code status} with the error body. */
    public static HttpResponse error(int status, String code, String message, String field) {
        return ApiError.of(status, code, message, field).toResponse();
    }

    /** The failure inside {@link CompletionException}s and {@link ExecutionException}s. */
    public static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The status of a refusal of {@code kind}. */
    public static int status(RefusedException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case LIMIT_EXCEEDED -> 422;
            case BUSY -> 429;
        };
    }
}

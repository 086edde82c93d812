package io.beacon.httpkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.LongNode;
import io.beacon.event.RefusedException;
import io.beacon.event.RefusedException.Kind;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    private static String body(HttpResponse r) {
        return ((HttpEntity.Strict) r.entity()).getData().utf8String();
    }

    private static Optional<String> header(HttpResponse r, String name) {
        return r.getHeader(name).map(h -> h.value());
    }

    @Test
    void shouldAnswerAnApiExceptionWithItsStatusAndTheErrorBody() {
        HttpResponse r = ApiErrors.standard().toResponse(ApiException.badRequest("MISSING_VERSION", "send the version", "version"));

        assertEquals(400, r.status().intValue());
        assertEquals("application/json", r.entity().getContentType().toString());
        assertEquals("{\"error\":{\"code\":\"MISSING_VERSION\",\"message\":\"send the version\",\"field\":\"version\"}}", body(r));
    }

    @Test
    void shouldAskForABearerTokenOnA401() {
        HttpResponse r = ApiErrors.standard().toResponse(ApiException.unauthorized("the secret key is not valid"));

        assertEquals(401, r.status().intValue());
        assertEquals(Optional.of("Bearer"), header(r, "WWW-Authenticate"));
        assertEquals("{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"the secret key is not valid\"}}", body(r));
    }

    @Test
    void shouldMapEachKindOfRefusalToItsStatus() {
        assertEquals(400, status(new RefusedException(Kind.INVALID, "INVALID_QUERY", "steps: missing", "steps")));
        assertEquals(404, status(new RefusedException(Kind.NOT_FOUND, "COHORT_NOT_FOUND", "no cohort 'c'", "id")));
        assertEquals(409, status(new RefusedException(Kind.CONFLICT, "COHORT_IS_DYNAMIC", "dynamic", "type")));
        assertEquals(422, status(new RefusedException(Kind.LIMIT_EXCEEDED, "QUERY_TOO_LARGE", "too many", null)));
        assertEquals(429, status(new RefusedException(Kind.BUSY, "TOO_MANY_QUERIES", "busy", null)));
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenABusyRefusalNamesOne() {
        HttpResponse r = ApiErrors.standard().toResponse(new RefusedException(Kind.BUSY, "TOO_MANY_QUERIES",
                "this project already runs 4 queries; retry when one finished", null, 1));

        assertEquals(429, r.status().intValue());
        assertEquals(Optional.of("1"), header(r, "Retry-After"));
        assertEquals("{\"error\":{\"code\":\"TOO_MANY_QUERIES\",\"message\":\"this project already runs 4 queries; retry when one finished\"}}",
                body(r));
    }

    @Test
    void shouldSendNoRetryAfterWhenTheRefusalNamesNone() {
        HttpResponse r = ApiErrors.standard().toResponse(new RefusedException(Kind.NOT_FOUND, "NOT_FOUND", "no project 'p'", null));

        assertFalse(header(r, "Retry-After").isPresent());
        assertFalse(header(r, "WWW-Authenticate").isPresent());
    }

    @Test
    void shouldAskTheModuleMappingsFirstAndWriteTheirDetailsAfterTheField() {
        ApiErrors errors = ApiErrors.of(ErrorMapping.on(IllegalStateException.class,
                e -> ApiError.of(409, "VERSION_CONFLICT", e.getMessage(), "version").withDetail("current_version", LongNode.valueOf(3))
                        .withRetryAfter(5)));

        HttpResponse r = errors.toResponse(new IllegalStateException("stale"));

        assertEquals(409, r.status().intValue());
        assertEquals(Optional.of("5"), header(r, "Retry-After"));
        assertEquals("{\"error\":{\"code\":\"VERSION_CONFLICT\",\"message\":\"stale\",\"field\":\"version\",\"current_version\":3}}", body(r));
    }

    @Test
    void shouldUnwrapCompletionWrappers() {
        HttpResponse r = ApiErrors.standard().toResponse(new CompletionException(ApiException.notFound("no segment 's'")));

        assertEquals(404, r.status().intValue());
    }

    @Test
    void shouldAnswerAnythingElseAsAnInternalError() {
        HttpResponse r = ApiErrors.standard().toResponse(new NullPointerException("bug"));

        assertEquals(500, r.status().intValue());
        assertEquals("{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"internal error\"}}", body(r));
    }

    @Test
    void shouldGuardWhatACallThrowsAndWhatItsStageFailsWith() throws Exception {
        HttpResponse thrown = ApiErrors.standard().guard(() -> {
            throw ApiException.forbidden("another project");
        }).toCompletableFuture().get();
        HttpResponse failed = ApiErrors.standard()
                .guard(() -> CompletableFuture.<HttpResponse>failedFuture(new RefusedException(Kind.INVALID, "INVALID_QUERY", "x", "x")))
                .toCompletableFuture().get();

        assertEquals(403, thrown.status().intValue());
        assertEquals(400, failed.status().intValue());
    }

    private static int status(RefusedException e) {
        return ApiErrors.standard().toResponse(e).status().intValue();
    }
}

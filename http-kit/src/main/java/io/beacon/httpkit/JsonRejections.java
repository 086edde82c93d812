package io.beacon.httpkit;

import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;

/** Routing rejections answered with the error body instead of pekko-http's plain-text defaults. */
public final class JsonRejections {
    private JsonRejections() {
    }

    /**
     * JSON 405 {@code METHOD_NOT_ALLOWED} (with {@code Allow}) for a known path with the wrong method, JSON 404
     * {@code NOT_FOUND} saying {@code notFoundMessage} for unknown paths, pekko's other rejections in the
     * error body with the status's reason as code.
     */
    public static RejectionHandler handler(String notFoundMessage) {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rejections -> {
                    String allowed = rejections.stream().map(r -> r.supported().name()).distinct().collect(Collectors.joining(", "));
                    return Directives.complete(ApiErrors.error(StatusCodes.METHOD_NOT_ALLOWED.intValue(), "METHOD_NOT_ALLOWED",
                                    "this endpoint accepts " + allowed, null)
                            .addHeader(Allow.create(rejections.stream().map(MethodRejection::supported).distinct()
                                    .toArray(HttpMethod[]::new))));
                })
                .handleNotFound(Directives.complete(ApiErrors.error(StatusCodes.NOT_FOUND.intValue(), "NOT_FOUND", notFoundMessage, null)))
                .build()
                .withFallback(RejectionHandler.defaultHandler())
                .mapRejectionResponse(JsonRejections::asJson);
    }

    /** Pekko's default rejection answers are text; wrap them in the error body. */
    private static HttpResponse asJson(HttpResponse response) {
        if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
            return response;
        }
        String text = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : response.status().reason();
        return response.withEntity(Json.response(response.status().intValue(),
                ErrorBody.of(response.status().reason().toUpperCase(Locale.ROOT).replace(' ', '_'), text, null)).entity());
    }
}

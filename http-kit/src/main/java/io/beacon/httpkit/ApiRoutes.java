package io.beacon.httpkit;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The directives of an API endpoint: read the {@code Authorization} and {@code If-Match} headers and the
 * body, authenticate, run the handler and answer every failure through {@link ApiErrors}.
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    /**
     * What a handler gets of a request.
     *
     * @param authorization the {@code Authorization} header value
     * @param ifMatch       the {@code If-Match} header value
     * @param body          the body as received
     */
    public record Request(Optional<String> authorization, Optional<String> ifMatch, byte[] body) {
        /** The bearer token of {@link #authorization}. */
        public Optional<String> bearer() {
            return Credentials.bearer(authorization);
        }
    }

    @FunctionalInterface
    public interface Handler {
        CompletionStage<HttpResponse> handle(Request request);
    }

    @FunctionalInterface
    public interface AuthenticatedHandler<P> {
        CompletionStage<HttpResponse> handle(P principal, Request request);
    }

    /** Reads the request, runs {@code handler} and maps whatever it throws or fails with. */
    public static Route request(ApiErrors errors, Handler handler) {
        return optionalHeaderValueByName("Authorization", auth ->
                optionalHeaderValueByName("If-Match", ifMatch ->
                        entity(Unmarshaller.entityToByteArray(), body ->
                                completeWithFuture(errors.guard(() -> handler.handle(new Request(auth, ifMatch, body)))))));
    }

    /** {@link #request}, the handler called with the principal of the request's secret key (else 401). */
    public static <P> Route request(ApiErrors errors, SecretKeyAuth<P> keys, AuthenticatedHandler<P> handler) {
        return request(errors, r -> handler.handle(keys.authenticate(r.authorization()), r));
    }

    /** The route of the principal of the request's secret key; a missing or unknown key answers 401 at once. */
    public static <P> Route authenticated(ApiErrors errors, SecretKeyAuth<P> keys, Function<P, Route> inner) {
        return optionalHeaderValueByName("Authorization", auth -> {
            P principal;
            try {
                principal = keys.authenticate(auth);
            } catch (ApiException e) {
                return complete(errors.toResponse(e));
            }
            return inner.apply(principal);
        });
    }
}

package io.beacon.gateway.internal.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.IncomingRequest;
import io.beacon.event.RejectionCode;
import io.beacon.event.posthog.PostHogRequest;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewayMetrics;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.WriteKeys;
import io.beacon.gateway.internal.ClientAddress;
import io.beacon.gateway.internal.CollectionHandler;
import io.beacon.gateway.internal.EventAppender;
import io.beacon.gateway.internal.HttpErrors;
import io.beacon.gateway.internal.RequestBodyReader;
import io.beacon.gateway.internal.RequestRefusedException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * Handles one PostHog capture call: read the body within limits, undo its encoding
 * ({@link PostHogPayload}), authenticate the token, let {@link PostHogRequest} split and validate the
 * events, append the accepted ones to the {@link EventLog}, and answer once they are stored:
 * 200 {@code {"status":1}}, or 204 for {@code beacon=1}. Refused events are reported as data-quality facts;
 * a body refused as a whole (no events to count, or before its token is known) is not.
 */
public final class PostHogCaptureHandler {
    private final GatewaySettings settings;
    private final WriteKeys writeKeys;
    private final EventAppender appender;
    private final Clock clock;
    private final HttpErrors errors;

    public PostHogCaptureHandler(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, Clock clock, HttpErrors errors, GatewayMetrics metrics) {
        this.settings = settings;
        this.writeKeys = writeKeys;
        this.appender = new EventAppender(settings, eventLog, metrics);
        this.clock = clock;
        this.errors = errors;
    }

    /**
     * Handles a capture request.
     *
     * @return the answer; fails with {@link RequestRefusedException} or an event-log failure, which
     *         {@link HttpErrors#exceptionHandler()} maps
     */
    public CompletionStage<HttpResponse> handle(HttpRequest request, Materializer materializer) {
        long receivedAt = clock.millis();
        long arrivedNanos = appender.arrival();
        String ip = ClientAddress.of(request, settings.trustForwardedFor());
        String userAgent = request.getHeader("User-Agent").map(HttpHeader::value).orElse(null);
        Map<String, String> query = request.getUri().query().toMap();
        boolean beacon = "1".equals(query.get("beacon"));
        Long sentAt = sentAt(query.get("_"));
        String method = request.method().value();
        String contentType = request.entity().getContentType().mediaType().toString();
        return RequestBodyReader.read(request, settings.maxRequestBytes(), materializer).thenCompose(bytes -> {
            PostHogPayload.Decoded decoded = PostHogPayload.decode(method, contentType, query, bytes.toArray(), settings.maxRequestBytes());
            JsonNode body = CollectionHandler.parse(ByteString.fromArray(decoded.json()));
            String token = PostHogRequest.token(body).or(() -> Optional.ofNullable(query.get("token")))
                    .orElseThrow(() -> RequestRefusedException.of(RejectionCode.MISSING_WRITE_KEY,
                            "no token: send the project's write key as \"api_key\" or \"token\" (posthog.init(<write key>, ...))"));
            String projectId = writeKeys.projectFor(token).orElseThrow(() ->
                    RequestRefusedException.of(RejectionCode.INVALID_WRITE_KEY, "the token names no project"));
            IncomingRequest.Split split = PostHogRequest.split(body, sentAt);
            if (split instanceof IncomingRequest.Split.Refused refused) {
                return CompletableFuture.completedFuture(errors.refused(refused.rejection()));
            }
            List<JsonNode> items = ((IncomingRequest.Split.Items) split).items();
            List<EventAppender.Item> prepared = appender.prepareAll(items,
                    (index, item) -> PostHogRequest.prepare(index, item, projectId, receivedAt, ip, userAgent));
            appender.reportRefused(projectId, receivedAt, items, prepared);
            List<EventAppender.Item> accepted = prepared.stream().filter(EventAppender.Item::accepted).toList();
            List<IncomingRequest.Prepared> rejected = prepared.stream().filter(p -> !p.accepted()).map(EventAppender.Item::prepared).toList();
            if (accepted.isEmpty()) {
                return CompletableFuture.completedFuture(prepared.size() == 1
                        ? errors.refused(rejected.get(0).rejection()) : errors.batchRefused(rejected));
            }
            return appender.append(accepted, arrivedNanos).thenApply(done -> beacon ? HttpErrors.noContent() : HttpErrors.captured(accepted.size(), rejected));
        });
    }

    /** The {@code _} query parameter: the client's clock in epoch ms when it sent; ignored when not a number. */
    private static Long sentAt(String underscore) {
        if (underscore == null || underscore.isBlank() || underscore.length() > 15 || !underscore.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(underscore);
    }
}

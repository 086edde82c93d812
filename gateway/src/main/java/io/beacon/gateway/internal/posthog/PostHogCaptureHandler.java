package io.beacon.gateway.internal.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.event.MappingResult;
import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import io.beacon.event.posthog.PostHogRequest;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.WriteKeys;
import io.beacon.gateway.internal.ClientAddress;
import io.beacon.gateway.internal.CollectionHandler;
import io.beacon.gateway.internal.HttpErrors;
import io.beacon.gateway.internal.RequestBodyReader;
import io.beacon.gateway.internal.RequestRefusedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * Handles one PostHog capture call: read the body within limits, undo its encoding
 * ({@link PostHogPayload}), authenticate the token, let {@link PostHogRequest} split and validate the
 * events, append the accepted ones to the {@link EventLog}, and answer once they are stored:
 * 200 {@code {"status":1}}, or 204 for {@code beacon=1}.
 */
public final class PostHogCaptureHandler {
    private final GatewaySettings settings;
    private final WriteKeys writeKeys;
    private final EventLog eventLog;
    private final Clock clock;
    private final HttpErrors errors;

    public PostHogCaptureHandler(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, Clock clock, HttpErrors errors) {
        this.settings = settings;
        this.writeKeys = writeKeys;
        this.eventLog = eventLog;
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
            String token = PostHogRequest.token(body).or(() -> java.util.Optional.ofNullable(query.get("token")))
                    .orElseThrow(() -> RequestRefusedException.of(RejectionCode.MISSING_WRITE_KEY,
                            "no token: send the project's write key as \"api_key\" or \"token\" (posthog.init(<write key>, ...))"));
            String projectId = writeKeys.projectFor(token).orElseThrow(() ->
                    RequestRefusedException.of(RejectionCode.INVALID_WRITE_KEY, "the token names no project"));
            IncomingRequest.Split split = PostHogRequest.split(body, sentAt);
            if (split instanceof IncomingRequest.Split.Refused refused) {
                return CompletableFuture.completedFuture(errors.refused(refused.rejection()));
            }
            List<JsonNode> items = ((IncomingRequest.Split.Items) split).items();
            List<IncomingRequest.Prepared> prepared = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                prepared.add(prepare(i, items.get(i), projectId, receivedAt, ip, userAgent));
            }
            List<IncomingRequest.Prepared> accepted = prepared.stream().filter(IncomingRequest.Prepared::accepted).toList();
            List<IncomingRequest.Prepared> rejected = prepared.stream().filter(p -> !p.accepted()).toList();
            if (accepted.isEmpty()) {
                return CompletableFuture.completedFuture(prepared.size() == 1
                        ? errors.refused(rejected.get(0).rejection()) : errors.batchRefused(rejected));
            }
            return append(accepted).thenApply(done -> beacon ? HttpErrors.noContent() : HttpErrors.captured(accepted.size(), rejected));
        });
    }

    /** Appends, giving up after the append timeout (then the client gets 503 and retries). */
    private CompletionStage<Void> append(List<IncomingRequest.Prepared> items) {
        List<EventLog.Entry> entries = items.stream()
                .map(p -> new EventLog.Entry(p.event().partitionKey(), p.envelope()))
                .toList();
        return eventLog.append(entries).toCompletableFuture()
                .orTimeout(settings.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private IncomingRequest.Prepared prepare(int index, JsonNode item, String projectId, long receivedAt, String ip, String userAgent) {
        long size = EventCodec.encode(item).length;
        if (size > settings.maxEventBytes()) {
            return new IncomingRequest.Prepared(index, null, new MappingResult.Rejected(Rejection.of(RejectionCode.EVENT_TOO_LARGE,
                    "the event is " + size + " bytes; at most " + settings.maxEventBytes() + " are allowed")));
        }
        return PostHogRequest.prepare(index, item, projectId, receivedAt, ip, userAgent);
    }

    /** The {@code _} query parameter: the client's clock in epoch ms when it sent; ignored when not a number. */
    private static Long sentAt(String underscore) {
        if (underscore == null || underscore.isBlank() || underscore.length() > 15 || !underscore.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(underscore);
    }
}

package io.beacon.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.IncomingRequest;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewayMetrics;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.WriteKeys;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * Handles one collection call: authenticate, read the body within limits, let
 * {@link IncomingRequest} split and validate it, append the accepted items to the
 * {@link EventLog} and answer once they are stored. Refused items are reported as data-quality facts;
 * so is a single-event call refused as a whole, but not a batch whose body holds no items to count, nor
 * any request refused before its project is known (write key, size, JSON). All mapping and validation is event-model's;
 * this class only moves data and applies the HTTP-level limits.
 */
public final class CollectionHandler {
    private static final ObjectReader JSON = EventCodec.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final GatewaySettings settings;
    private final WriteKeys writeKeys;
    private final EventAppender appender;
    private final Clock clock;
    private final HttpErrors errors;

    public CollectionHandler(GatewaySettings settings, WriteKeys writeKeys, EventLog eventLog, Clock clock, HttpErrors errors, GatewayMetrics metrics) {
        this.settings = settings;
        this.writeKeys = writeKeys;
        this.appender = new EventAppender(settings, eventLog, metrics);
        this.clock = clock;
        this.errors = errors;
    }

    /**
     * Handles a call.
     *
     * @param endpointType the type of a single-call endpoint, {@code null} for {@code /v1/batch}
     * @return the answer; fails with {@link RequestRefusedException} or an event-log failure, which
     *         {@link HttpErrors#exceptionHandler()} maps
     */
    public CompletionStage<HttpResponse> handle(HttpRequest request, EventType endpointType, Materializer materializer) {
        long receivedAt = clock.millis();
        long arrivedNanos = appender.arrival();
        String ip = ClientAddress.of(request, settings.trustForwardedFor());
        String userAgent = request.getHeader("User-Agent").map(HttpHeader::value).orElse(null);
        // A key in the headers is checked before the body is read: no work for unknown callers.
        Optional<String> headerProject;
        try {
            headerProject = WriteKeyExtractor.fromHeaders(request).map(this::project);
        } catch (RequestRefusedException e) {
            request.discardEntityBytes(materializer);
            return CompletableFuture.failedFuture(e);
        }
        return RequestBodyReader.read(request, settings.maxRequestBytes(), materializer).thenCompose(bytes -> {
            JsonNode body = parse(bytes);
            String projectId = headerProject.orElseGet(() -> WriteKeyExtractor.fromBody(body).map(this::project)
                    .orElseThrow(() -> RequestRefusedException.of(RejectionCode.MISSING_WRITE_KEY,
                            "no write key: send it as the HTTP Basic user name, in the " + WriteKeyExtractor.HEADER
                                    + " header or as \"writeKey\" in the body")));
            IncomingRequest.Split split = IncomingRequest.split(body, endpointType);
            if (split instanceof IncomingRequest.Split.Refused refused) {
                if (endpointType != null) {
                    appender.reportRefused(projectId, receivedAt, body, refused.rejection());
                }
                return CompletableFuture.completedFuture(errors.refused(refused.rejection()));
            }
            List<JsonNode> items = ((IncomingRequest.Split.Items) split).items();
            List<EventAppender.Item> prepared = appender.prepareAll(items,
                    (index, item) -> IncomingRequest.prepare(index, item, projectId, receivedAt, ip, userAgent));
            appender.reportRefused(projectId, receivedAt, items, prepared);
            return endpointType != null ? single(prepared.get(0), arrivedNanos) : batch(prepared, arrivedNanos);
        });
    }

    private CompletionStage<HttpResponse> single(EventAppender.Item item, long arrivedNanos) {
        if (!item.accepted()) {
            return CompletableFuture.completedFuture(errors.refused(item.prepared().rejection()));
        }
        return appender.append(List.of(item), arrivedNanos).thenApply(done -> HttpErrors.success());
    }

    private CompletionStage<HttpResponse> batch(List<EventAppender.Item> items, long arrivedNanos) {
        List<EventAppender.Item> accepted = items.stream().filter(EventAppender.Item::accepted).toList();
        List<IncomingRequest.Prepared> rejected = items.stream().filter(p -> !p.accepted()).map(EventAppender.Item::prepared).toList();
        if (accepted.isEmpty()) {
            return CompletableFuture.completedFuture(errors.batchRefused(rejected));
        }
        return appender.append(accepted, arrivedNanos).thenApply(done -> HttpErrors.batchAccepted(accepted.size(), rejected));
    }

    private String project(String writeKey) {
        return writeKeys.projectFor(writeKey).orElseThrow(() ->
                RequestRefusedException.of(RejectionCode.INVALID_WRITE_KEY, "the write key names no project"));
    }

    /**
     * Parses a body as one JSON document.
     *
     * @throws RequestRefusedException MALFORMED_JSON when it is empty, not JSON or has trailing data
     */
    public static JsonNode parse(ByteString bytes) {
        try {
            JsonNode body = JSON.readTree(bytes.toArray());
            if (body == null || body.isMissingNode()) {
                throw RequestRefusedException.of(RejectionCode.MALFORMED_JSON, "the request body is empty");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw RequestRefusedException.of(RejectionCode.MALFORMED_JSON, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RequestRefusedException.of(RejectionCode.MALFORMED_JSON, "the request body is not valid JSON: " + e.getMessage());
        }
    }
}

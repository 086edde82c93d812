package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.DqFact;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.event.MappingResult;
import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewayMetrics;
import io.beacon.gateway.GatewaySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The tail both collection protocols share: the per-event size limit, then the protocol's own
 * validation, then the append of the accepted items with the append timeout, and the report of the
 * refused ones as data-quality facts ({@link RefusedItemFacts}). Each item is encoded once: the bytes
 * measured for the size limit become the envelope's payload as they are.
 */
public final class EventAppender {

    /** A protocol's per-item preparation (Segment/native or PostHog). */
    @FunctionalInterface
    public interface Preparer {
        IncomingRequest.Prepared prepare(int index, JsonNode item);
    }

    /** A prepared item and its encoded payload ({@code null} when it was refused before encoding). */
    public record Item(IncomingRequest.Prepared prepared, byte[] payload) {
        public boolean accepted() {
            return prepared.accepted();
        }
    }

    private final GatewaySettings settings;
    private final EventLog eventLog;
    private final GatewayMetrics metrics;

    public EventAppender(GatewaySettings settings, EventLog eventLog, GatewayMetrics metrics) {
        this.settings = settings;
        this.eventLog = eventLog;
        this.metrics = metrics;
    }

    /** The current time on the metrics' clock: a request's arrival, for {@link #append}. */
    public long arrival() {
        return metrics.nanoTime();
    }

    /** Size-checks, then prepares every item in request order. */
    public List<Item> prepareAll(List<JsonNode> items, Preparer preparer) {
        List<Item> prepared = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            prepared.add(prepare(i, items.get(i), preparer));
        }
        return prepared;
    }

    private Item prepare(int index, JsonNode item, Preparer preparer) {
        byte[] payload = EventCodec.encode(item);
        if (payload.length > settings.maxEventBytes()) {
            return new Item(new IncomingRequest.Prepared(index, null, new MappingResult.Rejected(Rejection.of(RejectionCode.EVENT_TOO_LARGE,
                    "the event is " + payload.length + " bytes; at most " + settings.maxEventBytes() + " are allowed"))), null);
        }
        return new Item(preparer.prepare(index, item), payload);
    }

    /**
     * Appends accepted items of one project, giving up after the append timeout (the client then gets 503 and
     * retries); once Kafka acknowledged them, counts them and records their latencies ({@link GatewayMetrics}).
     *
     * @param arrivedNanos the request's {@link #arrival()}
     */
    public CompletionStage<Void> append(List<Item> accepted, long arrivedNanos) {
        List<EventLog.Entry> entries = new ArrayList<>(accepted.size());
        for (Item item : accepted) {
            IncomingRequest.Prepared p = item.prepared();
            entries.add(new EventLog.Entry(p.event().partitionKey(), p.envelope(), EventCodec.encodeEnvelope(p.envelope(), item.payload())));
        }
        return eventLog.append(entries).toCompletableFuture()
                .orTimeout(settings.appendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenRun(() -> recordAcknowledged(accepted, arrivedNanos));
    }

    private void recordAcknowledged(List<Item> accepted, long arrivedNanos) {
        if (accepted.isEmpty()) {
            return;
        }
        GatewayMetrics.Project project = metrics.project(accepted.get(0).prepared().event().projectId());
        project.acknowledged(arrivedNanos, accepted.size());
        for (Item item : accepted) {
            project.accepted(item.prepared().event());
        }
    }

    /**
     * Reports the refused items of a request whose project is known, one fact each; fire-and-forget, so the
     * answer neither waits for nor depends on it.
     *
     * @param items    the request's items, as split
     * @param prepared what {@link #prepareAll} made of them
     */
    public void reportRefused(String projectId, long receivedAt, List<JsonNode> items, List<Item> prepared) {
        List<DqFact> facts = RefusedItemFacts.of(projectId, receivedAt, items, prepared(prepared));
        GatewayMetrics.Project project = null;
        for (Item item : prepared) {
            if (!item.accepted()) {
                project = project != null ? project : metrics.project(projectId);
                project.rejected(item.prepared().rejection().code());
            }
        }
        if (!facts.isEmpty()) {
            eventLog.report(facts);
        }
    }

    /** Reports a single-event request refused as a whole after its project was known ({@code body}: what it sent). */
    public void reportRefused(String projectId, long receivedAt, JsonNode body, Rejection rejection) {
        metrics.project(projectId).rejected(rejection.code());
        eventLog.report(List.of(RefusedItemFacts.of(projectId, receivedAt, body, rejection)));
    }

    /** The {@link IncomingRequest.Prepared} of each item. */
    public static List<IncomingRequest.Prepared> prepared(List<Item> items) {
        return items.stream().map(Item::prepared).toList();
    }
}

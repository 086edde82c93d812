package io.beacon.abtest.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.ExposureSink;
import io.beacon.event.RawEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns served assignments into exposure events on the {@link ExposureSink}, at least once.
 *
 * <p>Guarantee: the stage {@link #log} returns completes only when the sink has durably taken every
 * exposure that was new (for the Kafka sink: acknowledged with {@code acks=all}), and fails otherwise;
 * the assignment API answers after it, so an answer a client received has its exposures in the log even
 * if the process is killed right after (a failure answers 503 and the client's retry logs again). The
 * call never blocks: the sink appends asynchronously and its producer batches concurrent requests.
 *
 * <p>Deduplication: an {@link ExposureLedger} remembers the exposures the sink acknowledged, so a
 * returning unit's answer costs no send and no wait. The ledger is per process and bounded; what it
 * forgets, or what two requests send concurrently, is sent again with the same deterministic event id,
 * which the topology's dedup and the {@code experiment_exposures} ReplacingMergeTree collapse.
 *
 * <p>Backpressure: at most {@code maxPending} exposure events may be waiting for the sink; beyond that
 * {@link #log} fails at once with {@link ExposureLogUnavailableException} (503) instead of queueing without bound.
 */
public final class ExposureLogger {
    private static final Logger LOG = LoggerFactory.getLogger(ExposureLogger.class);
    /** Default bound on exposure events waiting for the sink's acknowledgement. */
    public static final int DEFAULT_MAX_PENDING = 50_000;

    private final ExposureSink sink;
    private final LongSupplier clock;
    private final ExposureLedger ledger;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** @param memory exposures remembered per generation of the ledger (0 disables it: every assignment is re-sent) */
    public ExposureLogger(ExposureSink sink, LongSupplier clock, int memory) {
        this(sink, clock, memory, DEFAULT_MAX_PENDING);
    }

    public ExposureLogger(ExposureSink sink, LongSupplier clock, int memory, int maxPending) {
        this.sink = sink;
        this.clock = clock;
        this.ledger = memory > 0 ? new ExposureLedger(memory) : null;
        this.maxPending = maxPending;
    }

    /**
     * Logs the loggable assignments of one unit that this process has not logged yet.
     *
     * @return completes when the sink durably holds them (at once when nothing was new); fails with the
     *         {@link ExposureLogUnavailableException}
     */
    public CompletionStage<Void> log(String project, JsonNode attributes, List<Assignment> assignments) {
        List<RawEnvelope> out = null;
        long[] keys = null;
        long now = 0;
        for (Assignment a : assignments) {
            if (!a.loggable()) {
                continue;
            }
            String distinct = ExposureEvents.distinctId(attributes, a);
            long hi = 0;
            long lo = 0;
            if (ledger != null) {
                hi = ExposureLedger.fingerprintHi(project, a.experimentKey(), distinct, a.variationKey());
                lo = ExposureLedger.fingerprintLo(project, a.experimentKey(), distinct, a.variationKey());
                if (ledger.contains(hi, lo)) {
                    continue; // checked before building the envelope: a returning unit costs two hashes per experiment
                }
            }
            if (out == null) {
                out = new ArrayList<>(assignments.size());
                keys = new long[assignments.size() * 2];
                now = clock.getAsLong();
            }
            keys[2 * out.size()] = hi;
            keys[2 * out.size() + 1] = lo;
            out.add(ExposureEvents.envelope(project, a, attributes, now));
        }
        if (out == null) {
            return CompletableFuture.completedFuture(null);
        }
        int n = out.size();
        if (pending.addAndGet(n) > maxPending) {
            pending.addAndGet(-n);
            failed.addAndGet(n);
            return CompletableFuture.failedFuture(new ExposureLogUnavailableException(
                    "more than " + maxPending + " exposure events are waiting for the event log; retry", null));
        }
        CompletionStage<Void> sent;
        try {
            sent = sink.append(out);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        List<RawEnvelope> batch = out;
        long[] fingerprints = keys;
        CompletableFuture<Void> result = new CompletableFuture<>();
        sent.whenComplete((ok, error) -> {
            pending.addAndGet(-n);
            if (error == null) {
                logged.addAndGet(n);
                if (ledger != null) {
                    for (int i = 0; i < n; i++) {
                        ledger.add(fingerprints[2 * i], fingerprints[2 * i + 1]);
                    }
                }
            } else {
                failed.addAndGet(n);
                LOG.warn("{} exposure events of project {} not logged (first {}): {}", n, project, batch.get(0).eventId(), error.toString());
            }
            if (error == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(new ExposureLogUnavailableException("exposure events not logged: " + error.getMessage(), error));
            }
        });
        return result;
    }

    /** Exposure events the sink acknowledged. */
    public long loggedEvents() {
        return logged.get();
    }

    /** Exposure events the sink refused or that were refused for backlog. */
    public long failedEvents() {
        return failed.get();
    }

    /** Exposure events waiting for the sink's acknowledgement now. */
    public int pendingEvents() {
        return pending.get();
    }
}

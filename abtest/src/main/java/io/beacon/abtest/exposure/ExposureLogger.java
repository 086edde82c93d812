package io.beacon.abtest.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.abtest.ExposureSink;
import io.beacon.abtest.assignment.Assignment;
import io.beacon.event.RawEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns served assignments into exposure events on the {@link ExposureSink}. A bounded in-process memory
 * of recently logged event ids skips re-sending the same exposure on every request (the pipeline would
 * drop the duplicate anyway; this only saves traffic). Failed appends are counted
 * ({@link #failedEvents()}) and logged; the assignment itself is still answered, because the variation
 * shown is what matters to the user and a retry of the request re-logs the exposure.
 */
public final class ExposureLogger {
    private static final Logger LOG = LoggerFactory.getLogger(ExposureLogger.class);

    private final ExposureSink sink;
    private final LongSupplier clock;
    private final int memory;
    private final Map<String, Boolean> recent = new ConcurrentHashMap<>();
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** @param memory how many recently logged exposure ids to remember (0 disables the memory) */
    public ExposureLogger(ExposureSink sink, LongSupplier clock, int memory) {
        this.sink = sink;
        this.clock = clock;
        this.memory = memory;
    }

    /** Logs the loggable assignments of one unit; completes when the sink took them. */
    public CompletionStage<Void> log(String project, JsonNode attributes, List<Assignment> assignments) {
        List<RawEnvelope> out = new ArrayList<>();
        long now = clock.getAsLong();
        for (Assignment a : assignments) {
            if (!a.loggable()) {
                continue;
            }
            if (memory > 0) {
                String id = ExposureEvents.eventId(project, a.experimentKey(), ExposureEvents.distinctId(attributes, a), a.variationKey());
                if (recent.putIfAbsent(id, Boolean.TRUE) != null) {
                    continue; // checked before building the envelope: repeated exposures stay cheap
                }
            }
            out.add(ExposureEvents.envelope(project, a, attributes, now));
        }
        if (out.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (memory > 0 && recent.size() > memory) {
            recent.clear(); // crude bound: forgetting only costs a duplicate the pipeline drops
        }
        CompletionStage<Void> sent;
        try {
            sent = sink.append(out);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((ok, error) -> {
            if (error == null) {
                logged.addAndGet(out.size());
            } else {
                failed.addAndGet(out.size());
                out.forEach(env -> recent.remove(env.eventId()));
                LOG.warn("{} exposure events of project {} not logged: {}", out.size(), project, error.toString());
            }
        });
    }

    public long loggedEvents() {
        return logged.get();
    }

    public long failedEvents() {
        return failed.get();
    }
}

package io.beacon.cdp.audience;

import io.beacon.event.cdp.OutboxMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ResyncPlan}: reads each subscribed segment's members page by page through {@link AudienceMembers}
 * and puts one {@code audience.resync} message per member on the outbox, waiting for Kafka to take each page before
 * reading the next (so a large segment never piles up unacknowledged sends). Blocking; the caller runs it off the
 * HTTP threads.
 */
public final class AudienceResync {
    private static final Logger LOG = LoggerFactory.getLogger(AudienceResync.class);
    /** Members read and enqueued per step. */
    public static final int PAGE_SIZE = 500;
    private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(30);

    private final AudienceMembers members;
    private final BiFunction<String, String, String> segmentName;
    private final Function<OutboxMessage, CompletionStage<OutboxMessage>> enqueue;
    private final LongSupplier clock;

    /**
     * @param members     the members port, {@code null} when no engine runs on this node (every run is then refused
     *                    with {@link AudienceUnavailableException})
     * @param segmentName (project, segment id) → the segment's name, or null
     * @param enqueue     puts a message on the outbox, completing once Kafka has it
     */
    public AudienceResync(AudienceMembers members, BiFunction<String, String, String> segmentName,
                          Function<OutboxMessage, CompletionStage<OutboxMessage>> enqueue, LongSupplier clock) {
        this.members = members;
        this.segmentName = segmentName;
        this.enqueue = enqueue;
        this.clock = clock;
    }

    /** Whether members can be read at all on this node. */
    public boolean available() {
        return members != null;
    }

    /**
     * What a run enqueued.
     *
     * @param segments segment id → members enqueued, in the plan's order
     */
    public record Result(String resyncId, Map<String, Long> segments, long enqueued) {
        public Result {
            segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
        }
    }

    /** Enqueues the plan's messages; throws {@link AudienceUnavailableException} or {@link OutboxUnavailableException}. */
    public Result run(ResyncPlan plan) {
        if (members == null) {
            throw new AudienceUnavailableException("no engine runs on this node, so segment members cannot be read");
        }
        String project = plan.destination().projectId();
        long now = clock.getAsLong();
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (String segment : plan.segments()) {
            String name = segmentName.apply(project, segment);
            Iterator<String> it = members.members(project, segment, PAGE_SIZE);
            long count = 0;
            List<CompletableFuture<OutboxMessage>> page = new ArrayList<>(PAGE_SIZE);
            while (it.hasNext()) {
                page.add(enqueue.apply(plan.message(segment, name, it.next(), now)).toCompletableFuture());
                if (page.size() >= PAGE_SIZE) {
                    count += await(plan, page);
                }
            }
            count += await(plan, page);
            counts.put(segment, count);
            total += count;
        }
        LOG.info("resync {} of destination {} (project {}): {} messages enqueued for {} segment(s)", plan.resyncId(),
                plan.destination().id(), project, total, counts.size());
        return new Result(plan.resyncId(), counts, total);
    }

    private static int await(ResyncPlan plan, List<CompletableFuture<OutboxMessage>> page) {
        int n = page.size();
        try {
            CompletableFuture.allOf(page.toArray(new CompletableFuture<?>[0])).get(ENQUEUE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxUnavailableException(plan.resyncId(), "interrupted while enqueuing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new OutboxUnavailableException(plan.resyncId(), "the outbox did not take the resync's messages: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        page.clear();
        return n;
    }
}

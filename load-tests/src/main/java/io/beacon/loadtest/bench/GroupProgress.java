package io.beacon.loadtest.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures how fast a consumer of a pre-filled input works through it, from its progress counter
 * (committed offsets of a group, or rows written). The rate is taken from the first observed
 * progress to completion, so group join and task assignment time are left out of it (reported
 * separately as the start-up time).
 */
final class GroupProgress {
    /**
     * @param startupMillis  from start to the first observed progress
     * @param doneAtFirst    progress at that first observation
     * @param total          the amount to process
     * @param steadyMillis   from the first observed progress to completion
     * @param completed      whether everything was processed before the deadline
     * @param last           progress at the last observation
     */
    record Outcome(long startupMillis, long doneAtFirst, long total, long steadyMillis, boolean completed, long last) {
        double perSecond() {
            return steadyMillis <= 0 ? 0 : (last - doneAtFirst) * 1000.0 / steadyMillis;
        }
    }

    private GroupProgress() {
    }

    /** Polls {@code progress} every 50 ms until it reaches {@code total} or {@code deadline} passes. */
    static Outcome await(LongSupplier progress, long total, long startNanos, Duration deadline) throws InterruptedException {
        long end = startNanos + deadline.toNanos();
        long firstAt = -1;
        long atFirst = 0;
        long last = 0;
        while (System.nanoTime() < end) {
            last = progress.getAsLong();
            long now = System.nanoTime();
            if (firstAt < 0 && last > 0) {
                firstAt = now;
                atFirst = last;
            }
            if (last >= total) {
                return new Outcome(ms(firstAt - startNanos), atFirst, total, ms(now - firstAt), true, last);
            }
            Thread.sleep(50); // poll interval; small against runs of many seconds
        }
        long now = System.nanoTime();
        return new Outcome(firstAt < 0 ? -1 : ms(firstAt - startNanos), atFirst, total,
                firstAt < 0 ? 0 : ms(now - firstAt), false, last);
    }

    /** Sum of the committed offsets of {@code group} on {@code topic}'s partitions; 0 before the first commit. */
    static long committed(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long sum = 0;
            for (var e : offsets.entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                    sum += e.getValue().offset();
                }
            }
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Sum of the end offsets of {@code topic}'s partitions. */
    static long endOffsets(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long sum = 0;
        for (var info : admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values()) {
            sum += info.offset();
        }
        return sum;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

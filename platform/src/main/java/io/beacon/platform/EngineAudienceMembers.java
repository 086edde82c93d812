package io.beacon.platform;

import io.beacon.cdp.audience.AudienceMembers;
import io.beacon.cdp.audience.AudienceUnavailableException;
import io.beacon.engine.runtime.Engine;
import io.beacon.engine.runtime.PartitionIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connectors' {@link AudienceMembers} port onto the actor engine of a node with the {@code engine} role: the
 * same partition-index asks ({@link PartitionIndex.ListMembers}, through cluster sharding, on whichever node owns
 * each partition) as {@code GET /api/v1/segments/{id}/members}, called directly rather than over HTTP. The cursor
 * is {@code <partition>/<last user key>}; a partition being restored or moved, or not answering, makes the page
 * {@link AudienceUnavailableException unavailable}.
 */
final class EngineAudienceMembers implements AudienceMembers {
    private final Engine engine;
    private final Duration timeout;

    /** @param timeout each partition's ask */
    EngineAudienceMembers(Engine engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
    }

    @Override
    public Page page(String projectId, String segmentId, String cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        int partitions = engine.sharding().partitions();
        int partition = 0;
        String after = "";
        if (cursor != null) {
            int slash = cursor.indexOf('/');
            try {
                partition = Integer.parseInt(cursor.substring(0, slash));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a members cursor: " + cursor);
            }
            after = cursor.substring(slash + 1);
        }
        String prefix = projectId + ":";
        List<String> out = new ArrayList<>();
        while (partition < partitions) {
            PartitionIndex.Members m = ask(partition, projectId, segmentId, after, limit - out.size());
            if (!m.owned()) {
                throw new AudienceUnavailableException("partition " + partition + " of the engine is being restored or moved; retry shortly");
            }
            for (String key : m.keys()) {
                out.add(key.startsWith(prefix) ? key.substring(prefix.length()) : key);
            }
            boolean last = partition == partitions - 1;
            if (out.size() >= limit) {
                if (m.hasMore()) {
                    return new Page(out, partition + "/" + m.keys().get(m.keys().size() - 1));
                }
                return new Page(out, last ? null : (partition + 1) + "/");
            }
            partition++;
            after = "";
        }
        return new Page(out, null);
    }

    private PartitionIndex.Members ask(int partition, String projectId, String segmentId, String after, int want) {
        try {
            return engine.sharding().index(partition)
                    .<PartitionIndex.Members>ask(replyTo -> new PartitionIndex.ListMembers(projectId, segmentId, after, want, replyTo), timeout)
                    .toCompletableFuture().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AudienceUnavailableException("interrupted while reading partition " + partition, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AudienceUnavailableException("partition " + partition + " of the engine did not answer within " + timeout, e);
        }
    }

    @Override
    public String toString() {
        return "EngineAudienceMembers[" + engine.settings().nodeId() + "]";
    }
}

package io.beacon.control.topicview;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * A writer's records that it waits to read back, by position. The acknowledgement (which tells the
 * position) and the view's read of the record race: whichever comes first creates the position's future,
 * the other takes it, so each position is taken exactly twice.
 *
 * @param <T> what the read of a record completes the future with
 */
final class OwnWrites<T> {
    private record Position(TopicPartition partition, long offset) {
    }

    private final Map<Position, CompletableFuture<T>> pending = new HashMap<>();

    /** The future of the record at {@code offset}, for the writer (after the acknowledgement) or for the reader. */
    synchronized CompletableFuture<T> take(TopicPartition partition, long offset) {
        Position position = new Position(partition, offset);
        CompletableFuture<T> future = pending.remove(position);
        if (future == null) {
            future = new CompletableFuture<>();
            pending.put(position, future);
        }
        return future;
    }

    /** Fails every write still waiting (the view stopped or closed) and forgets reads nobody waits for. */
    void failAll(RuntimeException error) {
        List<CompletableFuture<T>> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(pending.values());
            pending.clear();
        }
        waiting.forEach(f -> f.completeExceptionally(error));
    }
}

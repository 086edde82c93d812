package io.beacon.gateway;

import io.beacon.event.DqFact;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** In-memory {@link EventLog} fake: records what was appended and reported, or fails appends the way a test asks. */
final class RecordingEventLog implements EventLog {
    enum Mode {
        /** Acknowledge at once. */
        ACK,
        /** Fail as an unavailable Kafka would. */
        UNAVAILABLE,
        /** Never answer, as a hung broker. */
        HANG,
        /** Throw synchronously: a bug in the log. */
        BUG
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<DqFact> facts = new ArrayList<>();
    private volatile Mode mode = Mode.ACK;

    void mode(Mode newMode) {
        this.mode = newMode;
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    synchronized List<DqFact> facts() {
        return List.copyOf(facts);
    }

    synchronized void clear() {
        entries.clear();
        facts.clear();
    }

    @Override
    public synchronized void report(List<DqFact> reported) {
        facts.addAll(reported);
    }

    @Override
    public CompletionStage<Void> append(List<Entry> batch) {
        return switch (mode) {
            case ACK -> {
                synchronized (this) {
                    entries.addAll(batch);
                }
                yield CompletableFuture.completedFuture(null);
            }
            case UNAVAILABLE -> CompletableFuture.failedFuture(new EventLogUnavailableException("test: Kafka is down"));
            case HANG -> new CompletableFuture<>();
            case BUG -> throw new IllegalStateException("test: a bug in the event log");
        };
    }
}

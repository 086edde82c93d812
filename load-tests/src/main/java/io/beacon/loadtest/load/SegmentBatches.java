package io.beacon.loadtest.load;

import io.beacon.loadtest.sim.SimEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Segment {@code /v1/batch} bodies ({@code {"batch":[…],"sentAt":"…"}}, Segment HTTP Tracking API)
 * from simulator events or pre-encoded items.
 */
public final class SegmentBatches {
    /** The collection path these bodies are posted to. */
    public static final String PATH = "/v1/batch";

    private SegmentBatches() {
    }

    /** One body with {@code sentAt} = now. */
    public static byte[] body(List<String> items) {
        int size = 48;
        for (String item : items) {
            size += item.length() + 1;
        }
        StringBuilder b = new StringBuilder(size);
        b.append("{\"batch\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(items.get(i));
        }
        b.append("],\"sentAt\":\"").append(Instant.now()).append("\"}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Bodies of {@code batchSize} events encoded lazily from {@code events}, as the generator asks. */
    public static BatchSource from(Iterator<SimEvent> events, int batchSize) {
        requirePositive(batchSize);
        return () -> {
            List<String> items = new ArrayList<>(batchSize);
            while (items.size() < batchSize && events.hasNext()) {
                items.add(events.next().json());
            }
            return items.isEmpty() ? null : new Batch(body(items), items.size());
        };
    }

    /**
     * Bodies encoded once from {@code items} and then sent over and over, so a flat-out run measures
     * the server and not the simulator. Never exhausted: bound the run by count or time.
     */
    public static BatchSource cycling(List<String> items, int batchSize) {
        requirePositive(batchSize);
        if (items.size() < batchSize) {
            throw new IllegalArgumentException("need at least one full batch of items");
        }
        List<Batch> bodies = new ArrayList<>();
        for (int i = 0; i + batchSize <= items.size(); i += batchSize) {
            bodies.add(new Batch(body(items.subList(i, i + batchSize)), batchSize));
        }
        return new BatchSource() {
            private int next;

            @Override
            public Batch next() {
                Batch b = bodies.get(next);
                next = (next + 1) % bodies.size();
                return b;
            }
        };
    }

    private static void requirePositive(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
    }
}

package io.beacon.cdp.dlq;

import io.beacon.control.dlq.DeadLetterPosition;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.dlq.DeadLetterUnavailableException;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.CdpDeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the connectors' DLQ ({@code <prefix>beacon.cdp.dlq}) for listings and replays, one bounded read per call
 * (see {@link TopicScan}). With a {@code from} time each partition is read from its first record stamped at or
 * after {@code from - }{@value #CLOCK_SKEW_MS} ms (the outbox workers stamp a letter when they produce it, never
 * before its {@code failed_at}); the filter then decides on {@code failed_at} itself. Blocking, thread-safe.
 */
public final class CdpDlqBrowser {

    /** How far before {@code from} the time seek starts, for clock differences between stamp and failed_at. */
    public static final long CLOCK_SKEW_MS = 60_000;

    private final DeadLetterSettings settings;

    public CdpDlqBrowser(DeadLetterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public DeadLetterSettings settings() {
        return settings;
    }

    /** The DLQ topic read. */
    public String topic() {
        return settings.topics().cdpDlq();
    }

    /**
     * The first {@code limit} letters matching {@code filter} from {@code cursor} ({@code null}: the beginning), and
     * the cursor of the next page.
     *
     * @throws DeadLetterUnavailableException when Kafka cannot be read in time
     */
    public CdpDlqPage list(CdpDlqFilter filter, int limit, CdpDlqCursor cursor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<CdpDlqEntry> letters = new ArrayList<>();
        long[] unreadable = {0};
        TopicScan.Result scan = TopicScan.scan(settings, topic(), cursor, seekTime(filter), record -> {
            CdpDeadLetter letter = decode(record);
            if (letter == null) {
                unreadable[0]++;
                return true;
            }
            if (!filter.matches(letter)) {
                return true;
            }
            if (letters.size() == limit) {
                return false; // the first letter of the next page
            }
            letters.add(new CdpDlqEntry(new DeadLetterPosition(record.partition(), record.offset()), letter));
            return true;
        });
        return new CdpDlqPage(letters, scan.stoppedAt().map(p -> new CdpDlqCursor(p.partition(), p.offset())),
                scan.scanned(), unreadable[0], scan.truncated());
    }

    /**
     * Hands every letter matching {@code filter} to {@code sink}, in DLQ order.
     *
     * @return whether the read stopped at the scan bound before the end
     */
    boolean scan(CdpDlqFilter filter, Consumer<CdpDlqEntry> sink) {
        return TopicScan.scan(settings, topic(), null, seekTime(filter), record -> {
            CdpDeadLetter letter = decode(record);
            if (letter != null && filter.matches(letter)) {
                sink.accept(new CdpDlqEntry(new DeadLetterPosition(record.partition(), record.offset()), letter));
            }
            return true;
        }).truncated();
    }

    private static long seekTime(CdpDlqFilter filter) {
        return filter.fromMs().isPresent() ? Math.max(0, filter.fromMs().getAsLong() - CLOCK_SKEW_MS) : -1;
    }

    private static CdpDeadLetter decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return CdpCodec.decodeDeadLetter(record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }
}

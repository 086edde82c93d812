package io.beacon.control.dlq;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of {@link DeadLetterBrowser#list}.
 *
 * @param total      letters matching the filter, in the part of the DLQ read
 * @param byCode     those letters counted per reason code (code name → count, sorted by name)
 * @param records    the first {@code limit} of them in partition/offset order
 * @param scanned    DLQ records read
 * @param unreadable DLQ records read whose value was not a dead letter (never shown, never replayed)
 * @param truncated  whether reading stopped at {@link DeadLetterSettings#maxScanned()} before the end
 */
public record DeadLetterPage(long total, Map<String, Long> byCode, List<DeadLetterRecord> records,
                             long scanned, long unreadable, boolean truncated) {

    public DeadLetterPage {
        byCode = Collections.unmodifiableMap(new TreeMap<>(byCode));
        records = List.copyOf(records);
    }
}

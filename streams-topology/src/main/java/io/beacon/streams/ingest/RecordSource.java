package io.beacon.streams.ingest;

/**
 * Where a raw record was read from, copied into its dead letter so it can be found and replayed.
 *
 * @param topic     the source topic, or {@code null} when unknown (e.g. a punctuation)
 * @param partition the partition, {@code -1} when unknown
 * @param offset    the offset, {@code -1} when unknown
 */
public record RecordSource(String topic, int partition, long offset) {

    /** Coordinates for a record whose origin is not known. */
    public static RecordSource unknown() {
        return new RecordSource(null, -1, -1L);
    }

    /** {@code topic-partition@offset}: a stable name for the record when no event id is known. */
    public String describe() {
        return topic + "-" + partition + "@" + offset;
    }
}

package io.beacon.control.dlq;

/** Where a record sits in the DLQ topic. */
public record DeadLetterPosition(int partition, long offset) implements Comparable<DeadLetterPosition> {

    public DeadLetterPosition {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must be non-negative: " + partition + "/" + offset);
        }
    }

    @Override
    public int compareTo(DeadLetterPosition o) {
        int byPartition = Integer.compare(partition, o.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}

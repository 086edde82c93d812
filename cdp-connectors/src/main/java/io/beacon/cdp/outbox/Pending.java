package io.beacon.cdp.outbox;

import io.beacon.event.cdp.OutboxMessage;

/**
 * One message a worker holds for one outbox partition, from the moment it is read (from the outbox, or folded from
 * the retry topic) until it is delivered or dead-lettered and that is durable. Mutable, owned by the partition's
 * {@link PartitionLedger} and touched only on the worker's poll thread.
 */
final class Pending {
    /** Where the message is in its life. */
    enum State {
        /** Waiting for its turn (head of its key and due) or for its destination to accept it. */
        WAITING,
        /** An attempt is in the air. */
        IN_FLIGHT,
        /** Its retry-topic record is being written; it counts as unfinished where it was until that is acked. */
        PARKING,
        /** Delivered or dead-lettered; the DLQ record or the retry topic's done marker is being written. */
        FINISHING
    }

    final OutboxMessage message;
    /** Its destination's lane ({@code project:destination}), computed once: the dispatcher groups refusals by it. */
    final String lane;
    /** The order within the key: the message's original outbox offset. */
    final long sequence;
    /** The attempt to make next (1 = first). */
    int attempt;
    /** Not before this (epoch ms). */
    long dueAtMs;
    /** Its outbox offset while the outbox still holds it unfinished, else -1. */
    long outboxOffset;
    /** The offset of its live retry-topic record, else -1. */
    long retryOffset;
    State state = State.WAITING;
    /** The last attempt's error, for the DLQ and the retry record. */
    String lastError;
    int lastStatus;

    Pending(OutboxMessage message, long sequence, int attempt, long dueAtMs, long outboxOffset, long retryOffset, String lastError) {
        this.message = message;
        this.lane = message.projectId() + ':' + message.destinationId();
        this.sequence = sequence;
        this.attempt = attempt;
        this.dueAtMs = dueAtMs;
        this.outboxOffset = outboxOffset;
        this.retryOffset = retryOffset;
        this.lastError = lastError;
    }

    String key() {
        return message.key();
    }

    String messageId() {
        return message.messageId();
    }

    @Override
    public String toString() {
        return "Pending[" + message.messageId() + " " + state + " attempt " + attempt + " seq " + sequence + "]";
    }
}

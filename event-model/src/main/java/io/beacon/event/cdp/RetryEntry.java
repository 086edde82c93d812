package io.beacon.event.cdp;

import java.util.Objects;

/**
 * The durable schedule of the connectors: a record of topic {@code beacon.cdp.retry} (same key and partition
 * count as the outbox, JSON by {@link CdpCodec}). A worker that owns an outbox partition owns the same retry
 * partition and, on assignment, folds it (latest record per message id wins; {@code done} drops the message)
 * before it delivers anything, so a restart or a partition move neither loses nor reorders a waiting message.
 *
 * @param attempt   the attempt that will be made next (1 = first); a message parked behind an older one of the
 *                  same key waits with the attempt it has
 * @param dueAtMs   not before this time (epoch ms)
 * @param sequence  the order within the key: the message's original outbox offset
 * @param done      true when the message finished (delivered or dead-lettered): a tombstone for the fold
 * @param lastError the last attempt's error ({@code null} before any)
 */
public record RetryEntry(OutboxMessage message, int attempt, long dueAtMs, long sequence, boolean done,
                         String lastError) {

    public RetryEntry {
        Objects.requireNonNull(message, "message");
    }

    public static RetryEntry done(OutboxMessage message, long sequence) {
        return new RetryEntry(message, 0, 0, sequence, true, null);
    }
}

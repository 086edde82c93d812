package io.beacon.cdp.dlq;

/**
 * What a replay did (or, for a dry run, would do).
 *
 * @param dryRun          nothing was produced
 * @param selected        letters matching the filter
 * @param alreadyReplayed of those, replayed by an earlier call and skipped (0 with {@code force})
 * @param duplicates      of those, another letter of the same message is replayed in this call
 * @param toReplay        messages this call puts (or, dry, would put) back on the outbox
 * @param replayed        messages put back on the outbox and acknowledged (0 for a dry run)
 * @param truncated       the DLQ read stopped at the scan bound: letters beyond it were not considered
 */
public record CdpReplayResult(boolean dryRun, int selected, int alreadyReplayed, int duplicates, int toReplay,
                              int replayed, boolean truncated) {
}

package io.beacon.dq.loss;

/**
 * One project's events of one hour (by {@code received_at}) at each stage.
 *
 * @param hourMs   the hour's start, epoch ms
 * @param accepted raw records the gateway wrote (every copy)
 * @param rejected items the gateway refused
 * @param deadLettered records the topology refused
 * @param duplicates copies the topology's dedup removed
 * @param written  events written to {@code beacon.events.valid}
 * @param stored   distinct event ids in ClickHouse {@code events}
 */
public record HourTotals(long hourMs, long accepted, long rejected, long deadLettered, long duplicates, long written, long stored) {
}

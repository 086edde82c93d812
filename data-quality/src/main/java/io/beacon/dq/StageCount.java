package io.beacon.dq;

/**
 * How many events of one project, stage, code and event name fell in one bucket (a minute or an hour of their
 * {@code received_at}, epoch ms of its start).
 *
 * @param code the rejection or dead-letter code, {@code ""} for stages without one
 */
public record StageCount(String projectId, String stage, String code, String eventName, long bucketMs, long count) {
}

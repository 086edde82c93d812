package io.beacon.cdp.log;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One destination's delivery figures over a window, as the console's destination list and detail page show them
 * (issue 17, items 7 and 9): how much was attempted, what came of it, how fast the receiver answered.
 *
 * @param destinationId   the destination
 * @param attempts        attempts in the window (each retry counts)
 * @param messages        distinct messages attempted in the window
 * @param delivered       distinct messages delivered in the window
 * @param failed          the attempts that did not deliver, by outcome
 * @param successRate     {@code delivered / messages} — messages, not attempts: a message delivered at its third
 *                        attempt counts once as a success; a message still being retried counts as not (yet)
 *                        delivered. Empty when nothing was attempted.
 * @param latencyMs       request → response (or failure) percentiles over every attempt of the window, failures
 *                        included (a timeout counts with its full wait); empty when nothing was attempted
 * @param lastAttemptAtMs the newest attempt of the window (epoch ms), empty when none
 */
public record DeliveryStats(String destinationId, long attempts, long messages, long delivered, Failures failed,
                            OptionalDouble successRate, Optional<Latency> latencyMs, OptionalLong lastAttemptAtMs) {

    /** Attempts that did not deliver, by outcome ({@code DeliveryAttempt.Outcome} other than delivered). */
    public record Failures(long retry, long throttled, long deadLettered) {
        /** Every failed attempt. */
        public long total() {
            return retry + throttled + deadLettered;
        }
    }

    /** Latency percentiles in milliseconds (ClickHouse {@code quantiles}, interpolated). */
    public record Latency(double p50, double p95, double p99) {
    }

    public DeliveryStats {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(successRate, "successRate");
        Objects.requireNonNull(latencyMs, "latencyMs");
        Objects.requireNonNull(lastAttemptAtMs, "lastAttemptAtMs");
    }

    /** The figures of a destination without attempts in the window. */
    public static DeliveryStats none(String destinationId) {
        return new DeliveryStats(destinationId, 0, 0, 0, new Failures(0, 0, 0), OptionalDouble.empty(), Optional.empty(),
                OptionalLong.empty());
    }
}

package io.beacon.dq;

import java.util.List;

/**
 * The stages an event is counted at, in pipeline order (the {@code stage} column of {@code dq_counts}, and
 * {@code stored}, counted from ClickHouse {@code events} itself).
 */
public final class Stages {
    /** Written by the gateway to {@code beacon.events.raw} (counted from the topic). */
    public static final String ACCEPTED = "accepted";
    /** Refused by the gateway, by rejection code (facts on {@code beacon.dq.facts}). */
    public static final String GATEWAY_REJECTED = "gateway_rejected";
    /** Refused by the topology, by reason code ({@code beacon.events.dlq}). */
    public static final String DEAD_LETTERED = "dead_lettered";
    /** Removed by the topology's dedup (facts on {@code beacon.dq.facts}). */
    public static final String DUPLICATE = "duplicate";
    /** Written by the topology to {@code beacon.events.valid}. */
    public static final String WRITTEN = "written";
    /** Distinct event ids in ClickHouse {@code events} (read from the table, not collected). */
    public static final String STORED = "stored";

    public static final List<String> ALL = List.of(ACCEPTED, GATEWAY_REJECTED, DEAD_LETTERED, DUPLICATE, WRITTEN, STORED);

    private Stages() {
    }
}

package io.beacon.streams.identity;

/** Names of the identity stage: its store and metrics. */
public final class Identity {
    /** Key-value store {@code project:distinct_id → IdentityLink} (RocksDB, changelogged). */
    public static final String STORE_NAME = "identity-store";
    /** The repartition by identity key: topic {@code <application-id>-identity-repartition}. */
    public static final String REPARTITION = "identity";
    /** Metric group scope ({@code stream-beacon-identity-metrics}). */
    public static final String METRIC_SCOPE = "beacon-identity";
    /** Links made ({@code …-total}). */
    public static final String LINKS_METRIC = "identity-links";
    /** Pairs refused because one id was a guard-rail value. */
    public static final String REFUSED_ILLEGAL_METRIC = "identity-merges-refused-illegal-id";
    /** Pairs refused because both sides were already identified as different persons. */
    public static final String REFUSED_IDENTIFIED_METRIC = "identity-merges-refused-identified";
    /** Warning put on an event whose identity pair was refused (either reason). */
    public static final String MERGE_REFUSED_WARNING = "identity_merge_refused";

    private Identity() {
    }
}

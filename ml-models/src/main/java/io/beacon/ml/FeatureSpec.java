package io.beacon.ml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The feature definition a model is trained on and served with: the ordered feature names and the
 * configuration they were built from (which events qualify as activity for the churn label, which events get
 * their own count features, the label horizon). {@link #fingerprint()} identifies the feature list; a model
 * whose fingerprint differs from the serving spec's is refused (docs/ml.md, "Features").
 *
 * @param featureNames     the canonical, ordered feature names ({@link #of} builds them)
 * @param qualifyingEvents events that count as activity for the churn label; empty: every event
 * @param trackedEvents    events with their own 7-day and 30-day count features, in this order
 * @param horizonMs        the label horizon H in ms (churn: no qualifying event in (T, T+H]; LTV: revenue in it)
 */
public record FeatureSpec(List<String> featureNames, List<String> qualifyingEvents, List<String> trackedEvents, long horizonMs) {

    /** The default horizon, 14 days. */
    public static final long DEFAULT_HORIZON_MS = 14L * 86_400_000L;

    public static final String RECENCY_DAYS = "recency_days";
    public static final String TENURE_DAYS = "tenure_days";
    public static final String SESSIONS_COUNT = "sessions_count";
    public static final String EVENTS_24H = "events_24h";
    public static final String EVENTS_7D = "events_7d";
    public static final String EVENTS_30D = "events_30d";
    public static final String EVENTS_ALL = "events_all";
    public static final String ACTIVE_DAYS_7D = "active_days_7d";
    public static final String ACTIVE_DAYS_30D = "active_days_30d";
    public static final String TREND_7D = "trend_7d";
    public static final String REVENUE_7D = "revenue_7d";
    public static final String REVENUE_30D = "revenue_30d";
    public static final String REVENUE_ALL = "revenue_all";
    public static final String PLATFORM_IOS = "platform_ios";
    public static final String PLATFORM_ANDROID = "platform_android";
    public static final String PLATFORM_WEB = "platform_web";
    public static final String PLATFORM_OTHER = "platform_other";

    /** The fixed features before the per-event counts, in order. */
    public static final List<String> BASE_FEATURES = List.of(RECENCY_DAYS, TENURE_DAYS, SESSIONS_COUNT,
            EVENTS_24H, EVENTS_7D, EVENTS_30D, EVENTS_ALL, ACTIVE_DAYS_7D, ACTIVE_DAYS_30D, TREND_7D,
            REVENUE_7D, REVENUE_30D, REVENUE_ALL);
    /** The platform one-hot features after the per-event counts, in order. */
    public static final List<String> PLATFORM_FEATURES = List.of(PLATFORM_IOS, PLATFORM_ANDROID, PLATFORM_WEB, PLATFORM_OTHER);

    public FeatureSpec {
        featureNames = List.copyOf(featureNames);
        qualifyingEvents = List.copyOf(qualifyingEvents);
        trackedEvents = List.copyOf(trackedEvents);
        if (horizonMs <= 0) {
            throw new IllegalArgumentException("the horizon must be positive, was " + horizonMs);
        }
        if (new LinkedHashSet<>(featureNames).size() != featureNames.size()) {
            throw new IllegalArgumentException("feature names must be distinct: " + featureNames);
        }
    }

    /**
     * The spec for these events and horizon: {@link #BASE_FEATURES}, then per tracked event (duplicates
     * dropped, order kept) {@code count_7d:<event>} and {@code count_30d:<event>}, then
     * {@link #PLATFORM_FEATURES}.
     */
    public static FeatureSpec of(List<String> qualifyingEvents, List<String> trackedEvents, long horizonMs) {
        List<String> tracked = List.copyOf(new LinkedHashSet<>(trackedEvents));
        List<String> names = new ArrayList<>(BASE_FEATURES);
        for (String e : tracked) {
            names.add(count7dName(e));
            names.add(count30dName(e));
        }
        names.addAll(PLATFORM_FEATURES);
        return new FeatureSpec(names, qualifyingEvents, tracked, horizonMs);
    }

    /** The feature name of the 7-day count of {@code event}. */
    public static String count7dName(String event) {
        return "count_7d:" + Objects.requireNonNull(event, "event");
    }

    /** The feature name of the 30-day count of {@code event}. */
    public static String count30dName(String event) {
        return "count_30d:" + Objects.requireNonNull(event, "event");
    }

    public int size() {
        return featureNames.size();
    }

    /** The position of {@code feature}, −1 when the spec has none. */
    public int indexOf(String feature) {
        return featureNames.indexOf(feature);
    }

    /**
     * SHA-256 (hex) of the canonical feature list: the names in order, each followed by a newline, UTF-8.
     * Equal lists give equal fingerprints on every JVM and run; the label configuration is not part of it.
     */
    public String fingerprint() {
        return fingerprintOf(featureNames);
    }

    /** {@link #fingerprint()} of any list of names (a manifest's, checked against its stored fingerprint). */
    public static String fingerprintOf(List<String> names) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String n : names) {
                sha.update(n.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

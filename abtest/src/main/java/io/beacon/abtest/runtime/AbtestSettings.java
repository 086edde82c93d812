package io.beacon.abtest.runtime;

import com.typesafe.config.Config;
import io.beacon.abtest.analysis.AnalysisSettings;
import io.beacon.abtest.stats.BayesianTest;
import io.beacon.abtest.stats.MinimumData;
import java.time.Duration;

/**
 * The module's settings, read once from {@code beacon.abtest} (see {@code reference.conf}).
 *
 * @param stickyBucketing  store units' variations so weight changes do not move them
 * @param logExposures     log exposures for served assignments
 * @param exposureMemory   logged exposures remembered per process, per ledger generation (0: none)
 * @param exposureMaxPending exposure events that may wait for the event log at once (then 503)
 * @param analysis         statistics settings
 * @param analysisThreads  threads for warehouse queries
 * @param segmentLookupTimeout how long an assignment waits for a unit's segment memberships (experiments that
 *                         target segments, no {@code segments} attribute given) before answering 503
 *                         {@code SEGMENTS_UNAVAILABLE}
 */
public record AbtestSettings(boolean stickyBucketing, boolean logExposures, int exposureMemory, int exposureMaxPending,
                             AnalysisSettings analysis, int analysisThreads, Duration segmentLookupTimeout) {

    public static final AbtestSettings DEFAULTS = new AbtestSettings(true, true, 500_000, 50_000, AnalysisSettings.DEFAULTS, 2,
            Duration.ofMillis(50));

    /** A copy with another segment lookup timeout. */
    public AbtestSettings withSegmentLookupTimeout(Duration timeout) {
        return new AbtestSettings(stickyBucketing, logExposures, exposureMemory, exposureMaxPending, analysis, analysisThreads, timeout);
    }

    public static AbtestSettings fromConfig(Config root) {
        Config c = root.getConfig("beacon.abtest");
        Config a = c.getConfig("analysis");
        AnalysisSettings analysis = new AnalysisSettings(a.getDouble("alpha"), a.getBoolean("cuped"), a.getInt("cuped-lookback-days"),
                a.getBoolean("sequential"), a.getDouble("sequential-tuning-n"), a.getDouble("srm-threshold"),
                new MinimumData(a.getLong("min-units-per-variation"), a.getLong("min-conversions-per-variation")),
                BayesianTest.Prior.FLAT);
        return new AbtestSettings(c.getBoolean("sticky-bucketing"), c.getBoolean("log-exposures"), c.getInt("exposure-memory"),
                c.getInt("exposure-max-pending"), analysis, a.getInt("threads"), c.getDuration("segment-lookup-timeout"));
    }
}

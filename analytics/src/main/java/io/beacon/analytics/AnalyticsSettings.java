package io.beacon.analytics;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the analysis API ({@code beacon.analytics.*} in {@code reference.conf}).
 *
 * @param maxConcurrentPerProject queries one project may run at once; more answer 429
 * @param queryTimeout            ClickHouse {@code max_execution_time} of each statement; beyond it 408
 * @param threads                 threads running analyses (ClickHouse calls block)
 */
public record AnalyticsSettings(int maxConcurrentPerProject, Duration queryTimeout, int threads) {
    public static final String MAX_CONCURRENT = "beacon.analytics.max-concurrent-per-project";
    public static final String QUERY_TIMEOUT = "beacon.analytics.query-timeout";
    public static final String THREADS = "beacon.analytics.threads";

    public static AnalyticsSettings defaults() {
        return new AnalyticsSettings(4, Duration.ofSeconds(60), 8);
    }

    public static AnalyticsSettings fromConfig(Config config) {
        AnalyticsSettings d = defaults();
        return new AnalyticsSettings(
                config.hasPath(MAX_CONCURRENT) ? config.getInt(MAX_CONCURRENT) : d.maxConcurrentPerProject(),
                config.hasPath(QUERY_TIMEOUT) ? config.getDuration(QUERY_TIMEOUT) : d.queryTimeout(),
                config.hasPath(THREADS) ? config.getInt(THREADS) : d.threads());
    }
}

package io.beacon.analytics;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the analysis API ({@code beacon.analytics.*} in {@code reference.conf}).
 *
 * @param maxConcurrentPerProject queries one project may run at once; more answer 429
 * @param queryTimeout            ClickHouse {@code max_execution_time} of each statement; beyond it 408
 * @param threads                 threads running analyses (ClickHouse calls block)
 * @param cacheTtl                how long a cached result may be served (0: no cache)
 * @param cacheMaxEntries         results the cache holds at most (least recently used go first)
 * @param cacheMaxBytes           total serialized size of cached results at most
 * @param sqlMaxRows              rows the SQL console returns at most (more: {@code truncated})
 * @param sqlTimeout              {@code max_execution_time} of a console statement
 * @param sqlMaxMemory            {@code max_memory_usage} (bytes) of a console statement
 * @param queryLog                whether statements are written to the {@code query_log} table
 */
public record AnalyticsSettings(int maxConcurrentPerProject, Duration queryTimeout, int threads, Duration cacheTtl,
                                int cacheMaxEntries, long cacheMaxBytes, int sqlMaxRows, Duration sqlTimeout, long sqlMaxMemory,
                                boolean queryLog) {
    public static final String MAX_CONCURRENT = "beacon.analytics.max-concurrent-per-project";
    public static final String QUERY_TIMEOUT = "beacon.analytics.query-timeout";
    public static final String THREADS = "beacon.analytics.threads";
    public static final String CACHE_TTL = "beacon.analytics.cache.ttl";
    public static final String CACHE_MAX_ENTRIES = "beacon.analytics.cache.max-entries";
    public static final String CACHE_MAX_BYTES = "beacon.analytics.cache.max-bytes";
    public static final String SQL_MAX_ROWS = "beacon.analytics.sql.max-rows";
    public static final String SQL_TIMEOUT = "beacon.analytics.sql.timeout";
    public static final String SQL_MAX_MEMORY = "beacon.analytics.sql.max-memory";
    public static final String QUERY_LOG = "beacon.analytics.query-log";

    /** The first three settings; the rest default. */
    public AnalyticsSettings(int maxConcurrentPerProject, Duration queryTimeout, int threads) {
        this(maxConcurrentPerProject, queryTimeout, threads, Duration.ofMinutes(5), 500, 64L << 20, 10_000, Duration.ofSeconds(30),
                2_000_000_000L, true);
    }

    public static AnalyticsSettings defaults() {
        return new AnalyticsSettings(4, Duration.ofSeconds(60), 8);
    }

    public AnalyticsSettings withCacheTtl(Duration ttl) {
        return new AnalyticsSettings(maxConcurrentPerProject, queryTimeout, threads, ttl, cacheMaxEntries, cacheMaxBytes, sqlMaxRows,
                sqlTimeout, sqlMaxMemory, queryLog);
    }

    public AnalyticsSettings withSqlLimits(int maxRows, Duration timeout, long maxMemory) {
        return new AnalyticsSettings(maxConcurrentPerProject, queryTimeout, threads, cacheTtl, cacheMaxEntries, cacheMaxBytes, maxRows,
                timeout, maxMemory, queryLog);
    }

    public static AnalyticsSettings fromConfig(Config config) {
        AnalyticsSettings d = defaults();
        return new AnalyticsSettings(
                config.hasPath(MAX_CONCURRENT) ? config.getInt(MAX_CONCURRENT) : d.maxConcurrentPerProject(),
                config.hasPath(QUERY_TIMEOUT) ? config.getDuration(QUERY_TIMEOUT) : d.queryTimeout(),
                config.hasPath(THREADS) ? config.getInt(THREADS) : d.threads(),
                config.hasPath(CACHE_TTL) ? config.getDuration(CACHE_TTL) : d.cacheTtl(),
                config.hasPath(CACHE_MAX_ENTRIES) ? config.getInt(CACHE_MAX_ENTRIES) : d.cacheMaxEntries(),
                config.hasPath(CACHE_MAX_BYTES) ? config.getBytes(CACHE_MAX_BYTES) : d.cacheMaxBytes(),
                config.hasPath(SQL_MAX_ROWS) ? config.getInt(SQL_MAX_ROWS) : d.sqlMaxRows(),
                config.hasPath(SQL_TIMEOUT) ? config.getDuration(SQL_TIMEOUT) : d.sqlTimeout(),
                config.hasPath(SQL_MAX_MEMORY) ? config.getBytes(SQL_MAX_MEMORY) : d.sqlMaxMemory(),
                config.hasPath(QUERY_LOG) ? config.getBoolean(QUERY_LOG) : d.queryLog());
    }
}

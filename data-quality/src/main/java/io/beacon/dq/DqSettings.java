package io.beacon.dq;

import com.typesafe.config.Config;
import io.beacon.event.TopicNames;
import java.time.Duration;

/**
 * The data-quality settings ({@code beacon.dq.*}, documented in the module's {@code reference.conf}) and the Kafka
 * keys it shares ({@code beacon.kafka.bootstrap-servers}, {@code beacon.kafka.topic-prefix}).
 */
public record DqSettings(boolean enabled, String bootstrapServers, TopicNames topics, String groupId, Duration flushInterval,
                         Duration window, Duration grace, double lossThreshold, double accuracyThreshold,
                         Duration checkInterval, Duration lookback, int sampleSize, Duration latencyThreshold) {
    private static final long DAY_MS = 86_400_000L;

    public DqSettings {
        long w = window.toMillis();
        if (w < 60_000 || w % 60_000 != 0 || DAY_MS % w != 0) {
            throw new IllegalArgumentException("beacon.dq.window must be a whole number of minutes that divides a day, got " + window);
        }
        if (lossThreshold < 0 || accuracyThreshold < 0) {
            throw new IllegalArgumentException("beacon.dq thresholds must not be negative");
        }
        if (sampleSize < 0 || sampleSize > 1000) {
            throw new IllegalArgumentException("beacon.dq.sample-size must be between 0 and 1000, got " + sampleSize);
        }
    }

    public static DqSettings fromConfig(Config config) {
        String prefix = config.getString("beacon.kafka.topic-prefix");
        Config c = config.getConfig("beacon.dq");
        return new DqSettings(c.getBoolean("enabled"), config.getString("beacon.kafka.bootstrap-servers"),
                TopicNames.withPrefix(prefix), prefix + c.getString("group-id"), c.getDuration("flush-interval"),
                c.getDuration("window"), c.getDuration("grace"), c.getDouble("loss-threshold"), c.getDouble("accuracy-threshold"),
                c.getDuration("check-interval"), c.getDuration("lookback"), c.getInt("sample-size"),
                c.getDuration("latency-threshold"));
    }

    /** The start of the window holding {@code epochMs}. */
    public long windowOf(long epochMs) {
        long w = window.toMillis();
        return Math.floorDiv(epochMs, w) * w;
    }
}

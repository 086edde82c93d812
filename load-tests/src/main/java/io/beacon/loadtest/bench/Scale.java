package io.beacon.loadtest.bench;

import java.time.Duration;

/**
 * Sizes and durations of one bench run. {@link #full()} is what {@code ./beacon bench} runs (about
 * 5 minutes on 2 cores, plus the build); {@link #quick()} is for trying the harness out.
 */
record Scale(String name, int gatewayItems, Duration gatewayWarmup, Duration gatewayMeasure, long producerPerfRecords,
             int pipelineRecords, int sinkRows, Duration freshnessWarmup, Duration freshnessMeasure,
             double freshnessRate, boolean jmh, double assignRate, Duration assignWarmup, Duration assignMeasure) {

    static Scale full() {
        return new Scale("full", 200_000, Duration.ofSeconds(15), Duration.ofSeconds(30), 2_000_000,
                300_000, 300_000, Duration.ofSeconds(10), Duration.ofSeconds(60), 5_000, true,
                5_000, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    static Scale quick() {
        return new Scale("quick", 40_000, Duration.ofSeconds(5), Duration.ofSeconds(8), 300_000,
                50_000, 50_000, Duration.ofSeconds(3), Duration.ofSeconds(10), 5_000, false,
                5_000, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
}

package io.beacon.ml.label;

import java.util.ArrayList;
import java.util.List;

/** Stacked cutoffs: several T, each giving one row per eligible person. */
public final class Cutoffs {
    static final long DAY_MS = 86_400_000L;

    private Cutoffs() {
    }

    /**
     * {@code n} cutoffs ending at {@code latestMs}, {@code stepMs} apart, oldest first:
     * {@code latest − (n−1)·step, …, latest − step, latest}.
     */
    public static List<Long> of(long latestMs, long stepMs, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one cutoff, was " + n);
        }
        if (stepMs <= 0 && n > 1) {
            throw new IllegalArgumentException("the step must be positive, was " + stepMs);
        }
        List<Long> out = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            out.add(latestMs - i * stepMs);
        }
        return List.copyOf(out);
    }

    /**
     * The default latest cutoff: the start of today's UTC day minus the horizon, so that every label window
     * {@code (T, T+H]} is complete by today.
     */
    public static long defaultLatest(long nowMs, long horizonMs) {
        return Math.floorDiv(nowMs, DAY_MS) * DAY_MS - horizonMs;
    }
}

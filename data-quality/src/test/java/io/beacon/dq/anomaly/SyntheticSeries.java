package io.beacon.dq.anomaly;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Test fixture: an hourly series with a day/night and a weekday/weekend pattern, Poisson noise from a seeded
 * {@link Random}, and anomalies planted as a multiple of the rate at chosen hours.
 */
final class SyntheticSeries {

    /** Monday 2024-01-01 00:00 UTC. */
    static final long MONDAY = 1_704_067_200_000L;
    static final int HOURS_PER_WEEK = 168;

    private SyntheticSeries() {
    }

    /**
     * The expected count of the hour {@code hourOfWeek} (0 = Monday 00:00 UTC): 60 at 03:00 rising to 400 at
     * 15:00 on weekdays, 0.6 of that on Saturday and Sunday.
     */
    static double rate(int hourOfWeek) {
        int day = hourOfWeek / 24;
        int hour = hourOfWeek % 24;
        double daily = 60 + 340 * (1 - Math.cos(2 * Math.PI * (hour - 3) / 24.0)) / 2;
        return day >= 5 ? 0.6 * daily : daily;
    }

    /** {@code weeks} weeks of Poisson counts from {@link #MONDAY}. */
    static SortedMap<Long, Long> series(int weeks, Random random) {
        SortedMap<Long, Long> out = new TreeMap<>();
        for (int i = 0; i < weeks * HOURS_PER_WEEK; i++) {
            out.put(hour(i), poisson(rate(i % HOURS_PER_WEEK), random));
        }
        return out;
    }

    /**
     * A copy of {@code series} where each hour index in {@code factors} is drawn again at its rate × the factor;
     * every other hour keeps its count, so the planted and the clean series differ only at the plants.
     */
    static SortedMap<Long, Long> plant(SortedMap<Long, Long> series, Map<Integer, Double> factors, Random random) {
        SortedMap<Long, Long> out = new TreeMap<>(series);
        new TreeMap<>(factors).forEach((i, factor) -> out.put(hour(i), poisson(rate(i % HOURS_PER_WEEK) * factor, random)));
        return out;
    }

    /** The start of the hour with index {@code i} from {@link #MONDAY}. */
    static long hour(int i) {
        return MONDAY + i * SeasonalBaseline.HOUR_MS;
    }

    /** {@code n} distinct hour indexes drawn from {@code [from, to)}. */
    static List<Integer> distinctHours(int n, int from, int to, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.add(i);
        }
        Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, n));
    }

    /**
     * A Poisson draw: Knuth's product of uniforms (TAOCP vol. 2, 3.4.1) for a mean up to 30, and above it the sum
     * of draws of at most 30 each, exact because a sum of independent Poisson variables is Poisson with the summed
     * mean (and it keeps {@code exp(-lambda)} far from underflow).
     */
    static long poisson(double lambda, Random random) {
        long total = 0;
        double left = lambda;
        while (left > 0) {
            double part = Math.min(left, 30);
            double limit = Math.exp(-part);
            double product = random.nextDouble();
            long k = 0;
            while (product > limit) {
                product *= random.nextDouble();
                k++;
            }
            total += k;
            left -= part;
        }
        return total;
    }
}

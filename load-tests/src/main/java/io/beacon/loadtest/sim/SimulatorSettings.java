package io.beacon.loadtest.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link BehaviourSimulator} generates.
 *
 * @param seed              the only source of randomness: the same settings always give the same events
 * @param users             number of simulated people
 * @param start             beginning of the simulated history (UTC instant, the first day's midnight)
 * @param days              length of the history in days
 * @param churnFraction     share of users in the churning subpopulation (activity decays after a churn day)
 * @param meanSessionsPerDay average sessions per active user and day before any decay
 */
public record SimulatorSettings(long seed, int users, Instant start, int days, double churnFraction,
                                double meanSessionsPerDay) {

    /** Midnight UTC of 2026-11-02, a Monday: a fixed default so runs are comparable. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-02T00:00:00Z");

    public SimulatorSettings {
        Objects.requireNonNull(start, "start");
        if (users < 1 || days < 1) {
            throw new IllegalArgumentException("users and days must be at least 1");
        }
        if (churnFraction < 0 || churnFraction > 1) {
            throw new IllegalArgumentException("churnFraction must be within [0, 1]: " + churnFraction);
        }
        if (meanSessionsPerDay <= 0) {
            throw new IllegalArgumentException("meanSessionsPerDay must be positive: " + meanSessionsPerDay);
        }
    }

    /** {@code users} people over 7 days from {@link #DEFAULT_START}, 20 % churners, 0.8 sessions a day. */
    public static SimulatorSettings of(long seed, int users) {
        return new SimulatorSettings(seed, users, DEFAULT_START, 7, 0.2, 0.8);
    }

    public SimulatorSettings withDays(int d) {
        return new SimulatorSettings(seed, users, start, d, churnFraction, meanSessionsPerDay);
    }

    public SimulatorSettings withStart(Instant s) {
        return new SimulatorSettings(seed, users, s, days, churnFraction, meanSessionsPerDay);
    }

    public SimulatorSettings withChurnFraction(double f) {
        return new SimulatorSettings(seed, users, start, days, f, meanSessionsPerDay);
    }
}

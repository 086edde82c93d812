package io.beacon.ml;

import static io.beacon.ml.Fixtures.DAY;
import static io.beacon.ml.Fixtures.HOUR;
import static io.beacon.ml.Fixtures.T0;

import io.beacon.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small behaviour simulation for training tests: over {@code DAYS} days each person has a daily activity
 * probability; a churner's activity stops for good on a random day; each active day may bring a purchase whose
 * amount is the person's own spending level.
 */
public final class Synthetic {
    public static final int DAYS = 100;

    private Synthetic() {
    }

    public static Map<String, List<Event>> people(int n, long seed) {
        Random rng = new Random(seed);
        Map<String, List<Event>> out = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) {
            double activity = 0.2 + 0.7 * rng.nextDouble();
            double spend = rng.nextDouble() < 0.5 ? 0 : 5 + 50 * rng.nextDouble();
            int start = rng.nextInt(40);
            int stop = rng.nextDouble() < 0.5 ? start + 5 + rng.nextInt(DAYS) : Integer.MAX_VALUE;
            List<Event> events = new ArrayList<>();
            int session = 0;
            for (int d = start; d < DAYS && d < stop; d++) {
                if (rng.nextDouble() < activity) {
                    String sid = "p" + p + "-s" + session++;
                    long t = T0 + d * DAY + rng.nextInt(20) * HOUR;
                    events.add(Fixtures.event("app_open", t, sid, 0));
                    events.add(Fixtures.event("view", t + 60_000, sid, 0));
                    if (spend > 0 && rng.nextDouble() < 0.3) {
                        events.add(Fixtures.event("purchase", t + 120_000, sid, Math.round(spend * 100) / 100.0));
                    }
                }
            }
            if (!events.isEmpty()) {
                out.put("person-" + p, events);
            }
        }
        return out;
    }

    /** Cutoffs at days 58, 65, 72, 79 after {@link Fixtures#T0} (the last label window ends at day 93). */
    public static List<Long> cutoffs() {
        return List.of(T0 + 58 * DAY, T0 + 65 * DAY, T0 + 72 * DAY, T0 + 79 * DAY);
    }

    public static FeatureSpec spec() {
        return FeatureSpec.of(List.of("app_open"), List.of("app_open", "purchase"), FeatureSpec.DEFAULT_HORIZON_MS);
    }
}

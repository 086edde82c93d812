package io.beacon.ml.label;

import java.util.Collection;
import java.util.List;

/**
 * The labels of one person at a cutoff T with horizon H (docs/ml.md, "Labels"). The window is
 * {@code (T, T+H]}: an event exactly at T belongs to the features, never to the label.
 */
public final class Labels {

    private Labels() {
    }

    /**
     * Churned: no qualifying event in {@code (t, t+h]}. {@code qualifying} empty means every event qualifies.
     */
    public static boolean churned(List<LabelFact> facts, long t, long h, Collection<String> qualifying) {
        for (LabelFact f : facts) {
            if (f.eventTimeMs() > t && f.eventTimeMs() <= t + h && (qualifying.isEmpty() || qualifying.contains(f.eventName()))) {
                return false;
            }
        }
        return true;
    }

    /** LTV label: the revenue in {@code (t, t+h]}. */
    public static double revenueAfter(List<LabelFact> facts, long t, long h) {
        return revenueIn(facts, t, t + h);
    }

    /**
     * The "repeat last period" baseline: the revenue in {@code (t−h, t]}, the horizon-long period that ends
     * at the cutoff.
     */
    public static double revenueBefore(List<LabelFact> facts, long t, long h) {
        return revenueIn(facts, t - h, t);
    }

    private static double revenueIn(List<LabelFact> facts, long fromExclusive, long toInclusive) {
        double sum = 0;
        for (LabelFact f : facts) {
            if (f.eventTimeMs() > fromExclusive && f.eventTimeMs() <= toInclusive) {
                sum += f.revenue();
            }
        }
        return sum;
    }
}

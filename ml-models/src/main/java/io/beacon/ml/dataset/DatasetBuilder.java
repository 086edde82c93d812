package io.beacon.ml.dataset;

import io.beacon.event.Event;
import io.beacon.event.NumericText;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.StateReplay;
import io.beacon.ml.Task;
import io.beacon.ml.feature.FeatureExtractor;
import io.beacon.ml.label.LabelFact;
import io.beacon.ml.label.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link Dataset} from per-person histories, point-in-time: for a cutoff T, only events with
 * {@code eventTime <= T} go into the replayed state (so no later event can change a feature), and only
 * events after T into the label. A person enters a cutoff's rows when they have at least one event at or
 * before T. The caller picks cutoffs whose label windows {@code (T, T+H]} are complete.
 */
public final class DatasetBuilder {
    private final FeatureSpec spec;
    private final StateReplay replay;
    private final String revenueProperty;
    private final FeatureExtractor extractor;

    /**
     * @param revenueProperty the event property holding revenue (numbers or numeric text), as the engine reads it
     */
    public DatasetBuilder(FeatureSpec spec, StateReplay replay, String revenueProperty) {
        this.spec = spec;
        this.replay = replay;
        this.revenueProperty = revenueProperty;
        this.extractor = new FeatureExtractor(spec);
    }

    /**
     * The rows of {@code task} for every person and cutoff, persons in map order, cutoffs in the given order.
     *
     * @param eventsByPerson person id → events sorted by event time
     * @param progress       told once per 1,000 persons
     */
    public Dataset build(Task task, Map<String, List<Event>> eventsByPerson, List<Long> cutoffs, Consumer<String> progress) {
        List<DatasetRow> rows = new ArrayList<>();
        int persons = 0;
        for (Map.Entry<String, List<Event>> e : eventsByPerson.entrySet()) {
            List<Event> events = e.getValue();
            List<LabelFact> facts = facts(events);
            for (long t : cutoffs) {
                int upTo = countAtOrBefore(events, t);
                if (upTo == 0) {
                    continue;
                }
                double[] x = extractor.extract(replay.replay(events.subList(0, upTo), t), t);
                double label = task == Task.CHURN
                        ? (Labels.churned(facts, t, spec.horizonMs(), spec.qualifyingEvents()) ? 1 : 0)
                        : Labels.revenueAfter(facts, t, spec.horizonMs());
                rows.add(new DatasetRow(e.getKey(), t, x, label, Labels.revenueBefore(facts, t, spec.horizonMs())));
            }
            if (++persons % 1000 == 0) {
                progress.accept("dataset: " + persons + " persons, " + rows.size() + " rows");
            }
        }
        progress.accept("dataset: " + persons + " persons, " + rows.size() + " rows, " + cutoffs.size() + " cutoffs");
        return new Dataset(task, spec, rows);
    }

    /** The label facts of {@code events}: name, time and revenue (the revenue property, 0 when absent). */
    public List<LabelFact> facts(List<Event> events) {
        List<LabelFact> out = new ArrayList<>(events.size());
        for (Event ev : events) {
            out.add(new LabelFact(ev.eventName(), ev.eventTime(), revenueOf(ev.properties().get(revenueProperty))));
        }
        return out;
    }

    private static double revenueOf(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : 0;
        }
        Double d = v instanceof String s ? NumericText.parse(s) : null;
        return d == null ? 0 : d;
    }

    /** How many leading events of the sorted list have {@code eventTime <= t} (binary search). */
    static int countAtOrBefore(List<Event> sorted, long t) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).eventTime() <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

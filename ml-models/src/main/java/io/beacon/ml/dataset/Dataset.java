package io.beacon.ml.dataset;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import java.util.List;
import java.util.TreeSet;

/** Rows of one task over one feature spec, from one or more cutoffs. */
public record Dataset(Task task, FeatureSpec spec, List<DatasetRow> rows) {

    public Dataset {
        rows = List.copyOf(rows);
        for (DatasetRow r : rows) {
            if (r.features().length != spec.size()) {
                throw new IllegalArgumentException("row of " + r.personId() + " has " + r.features().length + " features, the spec " + spec.size());
            }
        }
    }

    /** The distinct cutoffs, ascending. */
    public List<Long> cutoffs() {
        return List.copyOf(new TreeSet<>(rows.stream().map(DatasetRow::cutoffMs).toList()));
    }

    /** Rows of the cutoffs before the newest (the time-based holdout's training part). */
    public List<DatasetRow> olderRows() {
        long newest = newestCutoff();
        return rows.stream().filter(r -> r.cutoffMs() < newest).toList();
    }

    /** Rows of the newest cutoff (the holdout). */
    public List<DatasetRow> newestRows() {
        long newest = newestCutoff();
        return rows.stream().filter(r -> r.cutoffMs() == newest).toList();
    }

    private long newestCutoff() {
        return rows.stream().mapToLong(DatasetRow::cutoffMs).max().orElseThrow(() -> new IllegalStateException("empty dataset"));
    }
}

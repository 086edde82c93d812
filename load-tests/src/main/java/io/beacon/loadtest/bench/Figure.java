package io.beacon.loadtest.bench;

/**
 * One row of the results table: a figure, its baseline measured in the same run, and the target.
 *
 * @param area     what is measured (gateway, topology, sink, end to end, memory, micro, …)
 * @param name     the figure
 * @param value    the measured value with its unit
 * @param baseline the baseline's name and value, or "—"
 * @param ratio    value / baseline, or "—"
 * @param target   the target, or "—"
 * @param status   whether the target is met
 * @param note     method details or why it cannot be measured
 */
record Figure(String area, String name, String value, String baseline, String ratio, String target, Status status,
              String note) {

    enum Status {
        MET("met"), MISSED("**missed**"), INFO("—"), NOT_MEASURABLE("not yet measurable");

        final String label;

        Status(String label) {
            this.label = label;
        }
    }

    static Status check(boolean met) {
        return met ? Status.MET : Status.MISSED;
    }

    static Figure info(String area, String name, String value, String note) {
        return new Figure(area, name, value, "—", "—", "—", Status.INFO, note);
    }

    static Figure notYet(String area, String name, String target, String module) {
        return notMeasured(area, name, target, "not yet measurable: module not built (" + module + ")");
    }

    static Figure notMeasured(String area, String name, String target, String why) {
        return new Figure(area, name, "—", "—", "—", target, Status.NOT_MEASURABLE, why);
    }
}

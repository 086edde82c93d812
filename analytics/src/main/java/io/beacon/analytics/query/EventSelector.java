package io.beacon.analytics.query;

import java.util.List;

/** Which events count: one event name ({@code null}: any event) and filters on them. */
public record EventSelector(String event, List<Filter> filters) {
    public EventSelector {
        filters = List.copyOf(filters);
    }

    /** The SQL condition of this selector (event name and filters), for a row of {@code events}. */
    public String sql(String personColumn, String projectId) {
        String name = event == null ? "1" : "event_name = " + SqlLiterals.string(event);
        return name + " AND " + FilterSql.conditions(filters, personColumn, projectId);
    }
}

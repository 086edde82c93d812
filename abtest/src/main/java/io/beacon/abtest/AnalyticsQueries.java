package io.beacon.abtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Port: runs read-only SQL text on the warehouse (ClickHouse, tables {@code events} and
 * {@code experiment_exposures}) and returns the rows as text. The platform adapts the warehouse's
 * ClickHouse client to it ({@code AbtestWiring}). Blocking; callers run it off the HTTP dispatcher.
 */
@FunctionalInterface
public interface AnalyticsQueries {

    /**
     * @param sql a SELECT without a FORMAT clause
     * @throws RuntimeException with the server's message when the query fails
     */
    Rows query(String sql);

    /** A result: column names and rows of text values. */
    record Rows(List<String> columns, List<List<String>> rows) {
        public Rows {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }

        public List<Map<String, String>> asMaps() {
            List<Map<String, String>> out = new ArrayList<>(rows.size());
            for (List<String> r : rows) {
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    m.put(columns.get(i), r.get(i));
                }
                out.add(m);
            }
            return out;
        }
    }
}

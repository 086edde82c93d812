package io.beacon.warehouse.clickhouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A query result as text, the way ClickHouse's {@code TabSeparatedWithNames} format delivers it:
 * column names plus rows of unescaped values ({@code null} for SQL NULL). Numbers, dates and arrays
 * keep ClickHouse's text form ({@code 2026-10-01 12:00:00}, {@code ['a','b']}).
 *
 * @param columns the column names in query order
 * @param rows    the rows, each with one value per column
 */
public record QueryResult(List<String> columns, List<List<String>> rows) {

    public QueryResult {
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size() + " columns");
            }
            // List.copyOf refuses nulls, and NULL is a legitimate value.
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The value of {@code column} in row {@code row}. */
    public String value(int row, String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return rows.get(row).get(index);
    }

    /** The only value of a one-row, one-column result (a {@code count()}, a {@code version()}). */
    public String single() {
        if (rows.size() != 1 || columns.size() != 1) {
            throw new IllegalStateException("expected one value, got " + rows.size() + " rows of " + columns.size() + " columns");
        }
        return rows.get(0).get(0);
    }

    /** Every row as column name to value, in column order. */
    public List<Map<String, String>> asMaps() {
        List<Map<String, String>> maps = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                map.put(columns.get(i), row.get(i));
            }
            maps.add(Collections.unmodifiableMap(map));
        }
        return Collections.unmodifiableList(maps);
    }

    /** Convenience for tests and fixtures. */
    public static QueryResult of(List<String> columns, List<List<String>> rows) {
        return new QueryResult(Objects.requireNonNull(columns), Objects.requireNonNull(rows));
    }
}

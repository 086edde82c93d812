package io.beacon.warehouse.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses ClickHouse's {@code TabSeparatedWithNames} output: one line per row, values separated by tabs,
 * with {@code \t \n \\ \' \b \f \r \0} escaped and {@code \N} for NULL (ClickHouse docs, "Formats:
 * TabSeparated"). The first line holds the column names.
 */
final class TabSeparated {

    private TabSeparated() {
    }

    /** Parses a whole response; an empty response (a statement without result) has no columns. */
    public static QueryResult parseWithNames(String text) {
        List<List<String>> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lines.add(parseLine(text, start, end));
            start = end + 1;
        }
        if (lines.isEmpty()) {
            return new QueryResult(List.of(), List.of());
        }
        return new QueryResult(lines.get(0), lines.subList(1, lines.size()));
    }

    static List<String> parseLine(String text, int start, int end) {
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean isNull = false;
        for (int i = start; i < end; i++) {
            char ch = text.charAt(i);
            if (ch == '\t') {
                values.add(isNull ? null : value.toString());
                value.setLength(0);
                isNull = false;
            } else if (ch == '\\' && i + 1 < end) {
                char next = text.charAt(++i);
                switch (next) {
                    case 't' -> value.append('\t');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case '0' -> value.append('\0');
                    case 'N' -> isNull = true;
                    default -> value.append(next); // \\ \' and any other escaped character stand for themselves
                }
            } else {
                value.append(ch);
            }
        }
        values.add(isNull ? null : value.toString());
        return values;
    }
}

package io.beacon.warehouse.clickhouse;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a {@link QueryResult} as an aligned text table, as {@code ./beacon sql "SELECT …"} prints it:
 *
 * <pre>
 * event_name | c
 * -----------+-----
 * $pageview  | 1200
 * signup     |   31
 * (2 rows)
 * </pre>
 *
 * Numbers are right-aligned, everything else left-aligned (like {@code psql}); tabs and newlines inside
 * values are shown as {@code \t} and {@code \n} so one row stays on one line; NULL prints as {@code NULL}.
 * Widths count code points, so accented and other non-ASCII letters keep columns aligned (double-width
 * CJK glyphs still take two terminal cells).
 */
public final class TablePrinter {

    private static final String NULL_TEXT = "NULL";
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?([eE][+-]?\\d+)?|nan|inf)");

    private TablePrinter() {
    }

    /** The table followed by a row count line; ends with a newline. */
    public static String print(QueryResult result) {
        List<String> columns = result.columns();
        int n = columns.size();
        String[] header = columns.stream().map(TablePrinter::display).toArray(String[]::new);
        String[][] cells = new String[result.size()][];
        int[] widths = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            widths[c] = width(header[c]);
            numeric[c] = !result.isEmpty();
        }
        for (int r = 0; r < result.size(); r++) {
            List<String> row = result.rows().get(r);
            cells[r] = new String[n];
            for (int c = 0; c < n; c++) {
                String value = row.get(c);
                cells[r][c] = value == null ? NULL_TEXT : display(value);
                widths[c] = Math.max(widths[c], width(cells[r][c]));
                if (value != null && !isNumber(value)) {
                    numeric[c] = false;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        if (n > 0) {
            appendRow(out, header, widths, new boolean[n]);
            for (int c = 0; c < n; c++) {
                if (c > 0) {
                    out.append("-+-");
                }
                out.append("-".repeat(widths[c]));
            }
            out.append('\n');
            for (String[] row : cells) {
                appendRow(out, row, widths, numeric);
            }
        }
        out.append('(').append(result.size()).append(result.size() == 1 ? " row)" : " rows)").append('\n');
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] values, int[] widths, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                line.append(" | ");
            }
            String pad = " ".repeat(widths[c] - width(values[c]));
            if (rightAligned[c]) {
                line.append(pad).append(values[c]);
            } else {
                line.append(values[c]).append(pad);
            }
        }
        // No trailing blanks after the last column.
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        out.append(line, 0, end).append('\n');
    }

    private static String display(String value) {
        return value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private static boolean isNumber(String value) {
        return NUMBER.matcher(value).matches();
    }
}

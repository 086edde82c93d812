package io.beacon.ml.dataset;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Dataset} as CSV (RFC 4180): header {@code person_id,cutoff_ms,<features…>,revenue_prev_h,label},
 * one line per row, numbers in Java's shortest round-trip form. A field with a comma, quote or line break is
 * quoted, quotes doubled (event names in feature names may hold any character).
 */
public final class DatasetCsv {

    private DatasetCsv() {
    }

    /** The header fields. */
    public static List<String> header(Dataset d) {
        List<String> h = new ArrayList<>();
        h.add("person_id");
        h.add("cutoff_ms");
        h.addAll(d.spec().featureNames());
        h.add("revenue_prev_h");
        h.add("label");
        return h;
    }

    public static void write(Dataset d, Writer out) throws IOException {
        writeLine(out, header(d));
        StringBuilder line = new StringBuilder();
        for (DatasetRow r : d.rows()) {
            line.setLength(0);
            line.append(field(r.personId())).append(',').append(r.cutoffMs());
            for (int i = 0; i < d.spec().size(); i++) {
                line.append(',').append(number(r.feature(i)));
            }
            line.append(',').append(number(r.revenuePrevH())).append(',').append(number(r.label())).append('\n');
            out.write(line.toString());
        }
        out.flush();
    }

    private static void writeLine(Writer out, List<String> fields) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(field(fields.get(i)));
        }
        out.write(line.append('\n').toString());
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}

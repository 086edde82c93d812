package io.beacon.event;

import java.util.regex.Pattern;

/**
 * When a property's text is a number: exactly when it is a JSON number (RFC 8259 §6) — an optional
 * {@code -}, digits without a leading zero, an optional fraction and exponent; no {@code +}, no spaces, no
 * {@code inf}/{@code nan}, no hex. One rule for every place that reads numbers out of text: the analyses'
 * filters and property maths (as SQL, {@link #SQL_PATTERN}), promoted columns, A/B revenue metrics and the
 * engine's segment rules. ClickHouse's own {@code toFloat64OrNull} cannot be the rule: it reads
 * {@code '+3'} as NULL on 18.16 and as 3 on 26.x (docs/analysis-semantics.md, "Numbers in text").
 */
public final class NumericText {

    /** The grammar as a regular expression (Java and RE2 read it alike); anchored by the callers. */
    public static final String GRAMMAR = "-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?";
    /** {@link #GRAMMAR} anchored at both ends, for ClickHouse's {@code match(text, pattern)}. */
    public static final String SQL_PATTERN = "^" + GRAMMAR + "$";
    /** Longer texts are not numbers (bounds the work per value). */
    public static final int MAX_LENGTH = 400;

    private static final Pattern NUMBER = Pattern.compile(GRAMMAR);

    private NumericText() {
    }

    /** The value of {@code text} when it is a JSON number with a finite double value, else {@code null}. */
    public static Double parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !NUMBER.matcher(text).matches()) {
            return null;
        }
        double d = Double.parseDouble(text);
        return Double.isFinite(d) ? d : null;
    }
}

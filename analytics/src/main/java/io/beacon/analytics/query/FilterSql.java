package io.beacon.analytics.query;

import io.beacon.event.NumericText;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles {@link Filter}s to SQL conditions over a row of {@code events} (pure). Semantics, also in
 * {@code docs/analysis-semantics.md}:
 * <ul>
 *   <li>A property's value is its stored text ({@code ''} when absent); JSON numbers/booleans are
 *       stored as JSON text ({@code 12.5}, {@code true}).</li>
 *   <li>{@code eq}/{@code neq}/{@code in} with a string compare the text; with a number compare
 *       the text read as a number by {@link #numeric} numerically; with a boolean compare the text {@code 'true'}/{@code 'false'}.</li>
 *   <li>{@code gt}/{@code gte}/{@code lt}/{@code lte}/{@code between} (inclusive both ends) are numeric; a
 *       non-numeric or absent value never matches.</li>
 *   <li>{@code contains} is case-sensitive substring, {@code regex} is RE2 ({@code match}).</li>
 *   <li>{@code is_set}: the event carries the key (any value) / the column is not empty.</li>
 *   <li>Negative operators match absent values (an absent value is not equal to anything).</li>
 *   <li>Person properties ({@code person.<key>}) test the person's <em>current</em> value: the row's
 *       resolved person is (not) in the set of persons whose value matches the positive operator.</li>
 *   <li>Cohorts ({@code {"cohort": "<id>", "op": "in"|"not_in"}}): the row's resolved person is (not) in the
 *       cohort's member set, evaluated when the query is parsed (see {@code io.beacon.analytics.cohorts}).</li>
 * </ul>
 */
public final class FilterSql {
    private FilterSql() {
    }

    /**
     * The conjunction of {@code filters} ({@code 1} when empty).
     *
     * @param personColumn the column/alias holding the row's resolved person (person-property filters)
     * @param projectId    the project (person-property lookups are pinned to it)
     */
    public static String conditions(List<Filter> filters, String personColumn, String projectId) {
        if (filters.isEmpty()) {
            return "1";
        }
        List<String> parts = new ArrayList<>();
        for (Filter f : filters) {
            parts.add("(" + condition(f, personColumn, projectId) + ")");
        }
        return String.join(" AND ", parts);
    }

    /** Whether any filter needs the resolved person. */
    public static boolean needsPerson(List<Filter> filters) {
        return filters.stream().anyMatch(f -> f.property().kind() == PropertyRef.Kind.PERSON_PROPERTY
                || f.property().kind() == PropertyRef.Kind.COHORT);
    }

    static String condition(Filter f, String personColumn, String projectId) {
        PropertyRef p = f.property();
        if (p.kind() == PropertyRef.Kind.COHORT) {
            return personColumn + (f.op() == FilterOp.NOT_IN ? " NOT IN (" : " IN (") + f.cohortSql() + ")";
        }
        if (p.kind() == PropertyRef.Kind.PERSON_PROPERTY) {
            String positive = valueCondition(f.op().positive(), "value", "1", f.values());
            String set = "SELECT resolved_person_id FROM persons_current WHERE project_id = " + SqlLiterals.string(projectId)
                    + " AND key = " + SqlLiterals.string(p.name()) + " AND " + positive;
            return personColumn + (f.op().negative() ? " NOT IN (" : " IN (") + set + ")";
        }
        String expr = p.eventExpression();
        String isSet = p.kind() == PropertyRef.Kind.COLUMN ? expr + " != ''"
                : "has(properties.key, " + SqlLiterals.string(p.name()) + ")";
        return valueCondition(f.op(), expr, isSet, f.values());
    }

    private static String valueCondition(FilterOp op, String expr, String isSet, List<Object> values) {
        return switch (op) {
            case EQ -> equality(expr, values.get(0));
            case NEQ -> "NOT (" + equality(expr, values.get(0)) + ")";
            case IN -> anyOf(expr, values);
            case NOT_IN -> "NOT (" + anyOf(expr, values) + ")";
            case CONTAINS -> "position(" + expr + ", " + SqlLiterals.string((String) values.get(0)) + ") > 0";
            case NOT_CONTAINS -> "position(" + expr + ", " + SqlLiterals.string((String) values.get(0)) + ") = 0";
            case REGEX -> "match(" + expr + ", " + SqlLiterals.string((String) values.get(0)) + ")";
            case NOT_REGEX -> "NOT match(" + expr + ", " + SqlLiterals.string((String) values.get(0)) + ")";
            case GT -> numeric(expr) + " > " + SqlLiterals.number((Double) values.get(0));
            case GTE -> numeric(expr) + " >= " + SqlLiterals.number((Double) values.get(0));
            case LT -> numeric(expr) + " < " + SqlLiterals.number((Double) values.get(0));
            case LTE -> numeric(expr) + " <= " + SqlLiterals.number((Double) values.get(0));
            case BETWEEN -> numeric(expr) + " >= " + SqlLiterals.number((Double) values.get(0))
                    + " AND " + numeric(expr) + " <= " + SqlLiterals.number((Double) values.get(1));
            case IS_SET -> isSet;
            case IS_NOT_SET -> "NOT (" + isSet + ")";
        };
    }

    private static String anyOf(String expr, List<Object> values) {
        List<String> parts = new ArrayList<>();
        for (Object v : values) {
            parts.add(equality(expr, v));
        }
        return String.join(" OR ", parts);
    }

    private static String equality(String expr, Object value) {
        if (value instanceof Double d) {
            // NULL (not a number) = x is NULL, which WHERE treats as false; ifNull keeps NOT(...) true for it.
            return "ifNull(" + numeric(expr) + " = " + SqlLiterals.number(d) + ", 0)";
        }
        return expr + " = " + SqlLiterals.string(value instanceof Boolean b ? b.toString() : (String) value);
    }

    /**
     * {@code expr} as a Float64 when its text is a number by {@link NumericText} (a JSON number), else NULL — the
     * same on every ClickHouse version ({@code toFloat64OrNull} alone reads {@code '+3'} differently on 18.16 and 26.x).
     */
    public static String numeric(String expr) {
        // isFinite: a JSON number beyond the double range (1e400) is no number, as in NumericText.parse
        return "if(match(" + expr + ", " + SqlLiterals.string(NumericText.SQL_PATTERN) + ") AND isFinite(toFloat64OrZero(" + expr + ")), "
                + "toFloat64OrNull(" + expr + "), NULL)";
    }
}

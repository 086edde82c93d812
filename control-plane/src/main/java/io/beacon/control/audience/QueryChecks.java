package io.beacon.control.audience;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The query side's validation of what only it evaluates, handed to {@link RuleJson#parse} for
 * {@link Evaluator#HISTORY}: event filters and trait conditions in the analyses' filter grammar. Each method throws
 * the caller's 400 refusal naming the field, or returns normally.
 */
public interface QueryChecks {
    /** {@code filters} (a JSON array of filters) at JSON path {@code field}; errors name {@code field[i]…}. */
    void filters(ArrayNode filters, String field);

    /**
     * The trait condition {@code {"name","op","value"?}} at JSON path {@code field} as the person-property filter
     * it compiles to; errors name {@code field.name}, {@code field.op} or {@code field.value}.
     */
    void trait(ObjectNode condition, String field);
}

package io.beacon.warehouse.widening;

import java.util.Locale;
import java.util.Optional;

/**
 * The type of a promoted property and the ClickHouse column type that holds it. The wire names are
 * the registry's property type names ({@code string|number|boolean|datetime|list}), so whoever owns
 * the registry maps a definition with {@code PromotedType.fromWire(type.wireName())}.
 *
 * <p>Every column is nullable ("the property was absent or its value did not fit"), except
 * {@link #LIST}: ClickHouse has no {@code Nullable(Array(…))}, so an absent list is {@code []}.
 */
public enum PromotedType {
    /** {@code Nullable(String)}: strings as they are, numbers in plain decimal, booleans as {@code true}/{@code false}. */
    STRING("Nullable(String)"),
    /** {@code Nullable(Float64)}: numbers and strings holding a JSON number. */
    NUMBER("Nullable(Float64)"),
    /** {@code Nullable(UInt8)}: 1/0 from booleans and the strings {@code "true"}/{@code "false"} (any case). */
    BOOLEAN("Nullable(UInt8)"),
    /**
     * {@code Nullable(DateTime('UTC'))} (second precision, 1970–2106): from ISO-8601 date-times with an
     * offset and from epoch milliseconds (number or string of digits).
     */
    DATETIME("Nullable(DateTime('UTC'))"),
    /** {@code Array(String)}: each element as text (strings as they are, others as JSON); absent = {@code []}. */
    LIST("Array(String)");

    private final String columnType;

    PromotedType(String columnType) {
        this.columnType = columnType;
    }

    /** The ClickHouse type of the column, as {@code system.columns} spells it. */
    public String columnType() {
        return columnType;
    }

    /** The registry's name of the type: {@code string}, {@code number}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type named {@code wire} ({@code string|number|boolean|datetime|list}, any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static PromotedType fromWire(String wire) {
        for (PromotedType t : values()) {
            if (t.wireName().equalsIgnoreCase(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not one of string|number|boolean|datetime|list");
    }

    /** The type whose column type is {@code columnType}, if any (reading {@code system.columns} back). */
    static Optional<PromotedType> ofColumnType(String columnType) {
        for (PromotedType t : values()) {
            if (t.columnType.equals(columnType)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

package io.beacon.control;

import java.util.Objects;

/**
 * One problem with a submitted document, named by the JSON field it concerns (e.g. {@code type},
 * {@code required_properties[2]}).
 *
 * @param field   the snake_case JSON path of the offending field
 * @param message a sentence a developer can act on
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}

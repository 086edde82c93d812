package io.beacon.control;

import java.util.List;

/**
 * A document failed validation; nothing was written. The admin API answers 400
 * {@code INVALID_DEFINITION} naming the first field.
 */
public final class InvalidDocumentException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidDocumentException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid document" : errors.get(0).field() + ": " + errors.get(0).message(), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid document has at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public static InvalidDocumentException of(String field, String message) {
        return new InvalidDocumentException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    public FieldError first() {
        return errors.get(0);
    }
}

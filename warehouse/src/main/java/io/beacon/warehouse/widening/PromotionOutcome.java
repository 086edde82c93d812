package io.beacon.warehouse.widening;

/**
 * What a {@link ColumnPromotion} call did.
 *
 * @param projectId the project
 * @param property  the property
 * @param column    the column concerned
 * @param status    what happened
 * @param message   a human explanation (the conflict, for {@link Status#CONFLICT})
 */
public record PromotionOutcome(String projectId, String property, String column, Status status, String message) {

    /** What happened. */
    public enum Status {
        /** The column was added to {@code events} now and the sink fills it for the project from now on. */
        COLUMN_ADDED,
        /** The column existed (another project, an earlier promotion); the sink fills it for this project from now on. */
        ACTIVATED,
        /** Nothing to do: already promoted with that type (or, for a demotion, not promoted). */
        UNCHANGED,
        /** The sink stopped filling the column for this project; the column and its values stay. */
        DEMOTED,
        /**
         * Refused: the column exists with another type (the same property name promoted with another type in
         * another project, or a type change), or it belongs to another property. Nothing changed.
         */
        CONFLICT
    }

    public boolean changed() {
        return status == Status.COLUMN_ADDED || status == Status.ACTIVATED || status == Status.DEMOTED;
    }
}

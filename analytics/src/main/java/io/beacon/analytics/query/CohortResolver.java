package io.beacon.analytics.query;

/**
 * Turns the cohort id of a {@code {"cohort": "<id>"}} filter into the SQL selecting the cohort's members
 * (resolved person ids), while a query is parsed ({@link QueryParser#parse(com.fasterxml.jackson.databind.JsonNode,
 * java.time.ZoneId, CohortResolver)}). Implemented by the cohorts module over the config store.
 */
@FunctionalInterface
public interface CohortResolver {
    /**
     * @param field the JSON path of the filter, for errors
     * @throws InvalidQueryException naming {@code field} when the cohort does not exist or cannot be used
     */
    String membersSql(String cohortId, String field);

    /** The resolver of contexts without cohorts: every cohort filter is refused. */
    CohortResolver NONE = (id, field) -> {
        throw new InvalidQueryException(field, "cohort filters are not available here");
    };
}

package io.beacon.analytics.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** The JSON form of analysis results: record components in snake_case, {@code null}s written. */
public final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ResultJson() {
    }

    /** The shared, thread-safe mapper results are written with. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

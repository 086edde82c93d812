package io.beacon.control.destinations;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a CRM destination's contacts are built and synced.
 *
 * @param fieldMapping CRM field → {@link Template#mappingValue mapping value} (e.g. {@code email → traits.email}), in the
 *                     order written; at least one
 * @param list         the CRM list an audience sync keeps in step with the subscribed segments, or {@code null}
 * @param batchSize    contacts per upsert call, 1..100
 */
public record CrmSettings(Map<String, Template> fieldMapping, String list, int batchSize) {
    public static final int DEFAULT_BATCH_SIZE = 50;

    public CrmSettings {
        Objects.requireNonNull(fieldMapping, "fieldMapping");
        fieldMapping = Collections.unmodifiableMap(new LinkedHashMap<>(fieldMapping));
    }
}

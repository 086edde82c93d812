package io.beacon.abtest.assignment;

import java.util.HashMap;
import java.util.Map;

/**
 * One unit's sticky assignments, GrowthBook's {@code StickyAssignmentsDocument}: for attribute
 * {@code attributeName = attributeValue}, {@code "<experiment>__<bucketVersion>" → variation key}.
 */
public record StickyBucketDoc(String attributeName, String attributeValue, Map<String, String> assignments) {
    public StickyBucketDoc {
        assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
    }

    /** GrowthBook's document id, {@code attributeName||attributeValue}. */
    public static String id(String attributeName, String attributeValue) {
        return attributeName + "||" + attributeValue;
    }

    public String id() {
        return id(attributeName, attributeValue);
    }

    public StickyBucketDoc with(Map<String, String> more) {
        Map<String, String> m = new HashMap<>(assignments);
        m.putAll(more);
        return new StickyBucketDoc(attributeName, attributeValue, m);
    }
}

package io.beacon.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Feature names with their values, in the spec's order (the readable form of an extracted vector). */
public record FeatureVector(List<String> names, double[] values) {

    public FeatureVector {
        names = List.copyOf(names);
        values = values.clone();
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " names but " + values.length + " values");
        }
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** The value of {@code name}; {@link IllegalArgumentException} for an unknown name. */
    public double get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no feature " + name);
        }
        return values[i];
    }

    /** Name → value, in order. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(names.get(i), values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureVector v && names.equals(v.names) && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}

package io.beacon.abtest.hashing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bucket ranges and variation choice exactly as GrowthBook SDKs compute them
 * ({@code getBucketRanges}, {@code getEqualWeights}, {@code chooseVariation}, {@code inNamespace} in
 * the SDK specification):
 * <ul>
 *   <li>coverage is clamped to {@code [0, 1]};</li>
 *   <li>weights fall back to equal weights when missing, of the wrong length, or summing outside
 *       {@code [0.99, 1.01]};</li>
 *   <li>variation {@code i} gets {@code [c_i, c_i + coverage * w_i)} where {@code c_i} is the sum of the
 *       weights before it, so lowering coverage never moves a unit to another variation;</li>
 *   <li>a hash {@code n} is in a range when {@code start <= n < end}; outside every range means "not in
 *       the experiment".</li>
 * </ul>
 */
public final class BucketRanges {
    private BucketRanges() {
    }

    /** {@code [start, end)} of one variation. */
    public record Range(double start, double end) {
        public boolean contains(double n) {
            return n >= start && n < end;
        }
    }

    /** {@code n} weights of {@code 1/n}; empty for {@code n <= 0}. */
    public static List<Double> equalWeights(int n) {
        if (n <= 0) {
            return List.of();
        }
        return Collections.nCopies(n, 1.0 / n);
    }

    /**
     * The ranges of {@code numVariations} variations.
     *
     * @param coverage the share of units included, clamped to {@code [0, 1]}
     * @param weights  the variations' weights, or {@code null} for equal weights
     */
    public static List<Range> ranges(int numVariations, double coverage, List<Double> weights) {
        double c = coverage < 0 ? 0 : Math.min(coverage, 1);
        List<Double> w = weights == null || weights.size() != numVariations ? equalWeights(numVariations) : weights;
        double total = 0;
        for (double x : w) {
            total += x;
        }
        if (total < 0.99 || total > 1.01) {
            w = equalWeights(numVariations);
        }
        List<Range> out = new ArrayList<>(w.size());
        double cumulative = 0;
        for (double x : w) {
            double start = cumulative;
            cumulative += x;
            out.add(new Range(start, start + c * x));
        }
        return List.copyOf(out);
    }

    /** The index of the range holding {@code n}, or -1 when none does. */
    public static int chooseVariation(double n, List<Range> ranges) {
        for (int i = 0, size = ranges.size(); i < size; i++) {
            if (ranges.get(i).contains(n)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code hashValue} falls into {@code [start, end)} of namespace {@code namespaceId}: the
     * namespace hash is {@code hash("__" + namespaceId, hashValue, 1)}, so experiments sharing a namespace
     * with disjoint ranges never share a unit.
     */
    public static boolean inNamespace(String hashValue, String namespaceId, double start, double end) {
        double n = GrowthBookHash.hashOrNaN("__" + namespaceId, hashValue, 1);
        return !Double.isNaN(n) && n >= start && n < end;
    }
}

package io.beacon.ml.train;

import io.beacon.ml.dataset.DatasetRow;
import java.util.Arrays;
import java.util.List;

/**
 * Per-feature centring and scaling {@code z = (x − mean) / scale} applied before a linear model (fitted on the
 * training rows; trees use {@link #identity}). A constant feature gets scale 1. Stored in the manifest so that
 * serving applies exactly what training did.
 */
public record Standardization(double[] mean, double[] scale) {

    public Standardization {
        mean = mean.clone();
        scale = scale.clone();
        if (mean.length != scale.length) {
            throw new IllegalArgumentException(mean.length + " means but " + scale.length + " scales");
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    public int size() {
        return mean.length;
    }

    public double meanAt(int i) {
        return mean[i];
    }

    public double scaleAt(int i) {
        return scale[i];
    }

    /** Mean 0, scale 1: values pass unchanged. */
    public static Standardization identity(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return new Standardization(new double[n], ones);
    }

    /** Mean and population standard deviation of each feature over {@code rows}. */
    public static Standardization fit(List<DatasetRow> rows, int n) {
        double[] mean = new double[n];
        double[] m2 = new double[n];
        long count = 0;
        for (DatasetRow r : rows) {
            count++;
            for (int i = 0; i < n; i++) {
                // Welford's online update (Knuth, TAOCP vol. 2, 4.2.2)
                double x = r.feature(i);
                double d = x - mean[i];
                mean[i] += d / count;
                m2[i] += d * (x - mean[i]);
            }
        }
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            double sd = count == 0 ? 0 : Math.sqrt(m2[i] / count);
            scale[i] = sd > 1e-12 ? sd : 1.0;
        }
        return new Standardization(mean, scale);
    }

    /** {@code out[i] = (x[i] − mean[i]) / scale[i]}. */
    public void applyInto(double[] x, double[] out) {
        for (int i = 0; i < mean.length; i++) {
            out[i] = (x[i] - mean[i]) / scale[i];
        }
    }

    public double[] apply(double[] x) {
        double[] out = new double[x.length];
        applyInto(x, out);
        return out;
    }
}

package io.beacon.ml.eval;

/** Error of one predictor of amounts: RMSE, MAE and R² (1 − SSE/SST against the test labels' own mean). */
public record RegressionMetrics(double rmse, double mae, double r2) {

    /** The metrics of {@code predicted} against {@code actual}. */
    public static RegressionMetrics of(double[] predicted, double[] actual) {
        if (predicted.length != actual.length || actual.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty arrays: " + predicted.length + " vs " + actual.length);
        }
        double mean = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= actual.length;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = predicted[i] - actual[i];
            sse += d * d;
            sae += Math.abs(d);
            sst += (actual[i] - mean) * (actual[i] - mean);
        }
        double r2 = sst == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / sst;
        return new RegressionMetrics(Math.sqrt(sse / actual.length), sae / actual.length, r2);
    }
}

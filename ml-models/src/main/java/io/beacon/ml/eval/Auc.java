package io.beacon.ml.eval;

import java.util.Arrays;
import java.util.Comparator;

/** Ranking metrics of scores against binary outcomes. Pure. */
public final class Auc {

    private Auc() {
    }

    /**
     * ROC AUC by the Mann–Whitney U statistic: {@code (R₊ − n₊(n₊+1)/2) / (n₊·n₋)}, where R₊ is the sum of the
     * positives' ranks among all scores and tied scores share the mean of their ranks (so a tie between a
     * positive and a negative counts one half). NaN when either class is empty.
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        check(scores, positive);
        int n = scores.length;
        Integer[] order = order(scores);
        long pos = 0;
        double rankSumPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double meanRank = (i + 1 + j + 1) / 2.0;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    pos++;
                    rankSumPos += meanRank;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * PR AUC as average precision: {@code Σ (Rₖ − Rₖ₋₁)·Pₖ} over the distinct score thresholds from high to low,
     * where a group of tied scores is taken at once (scikit-learn's {@code average_precision_score}). NaN when
     * there is no positive.
     */
    public static double prAuc(double[] scores, boolean[] positive) {
        check(scores, positive);
        int n = scores.length;
        long totalPos = 0;
        for (boolean p : positive) {
            totalPos += p ? 1 : 0;
        }
        if (totalPos == 0) {
            return Double.NaN;
        }
        Integer[] order = order(scores);
        double ap = 0;
        long tp = 0;
        long seen = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            long groupPos = 0;
            for (int k = j; k <= i; k++) {
                groupPos += positive[order[k]] ? 1 : 0;
            }
            tp += groupPos;
            seen += i - j + 1;
            if (groupPos > 0) {
                ap += ((double) groupPos / totalPos) * ((double) tp / seen);
            }
            i = j - 1;
        }
        return ap;
    }

    private static Integer[] order(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> scores[k]));
        return order;
    }

    private static void check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " outcomes");
        }
        for (double s : scores) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("a score is NaN");
            }
        }
    }
}

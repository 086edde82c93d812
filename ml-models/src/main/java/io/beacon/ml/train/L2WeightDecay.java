package io.beacon.ml.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;

/**
 * L2 regularisation for Tribuo's linear SGD trainers, which have none of their own: before each step of the
 * wrapped optimiser, the weights (not the bias column) shrink by {@code (1 − rate·l2)} — the gradient of
 * {@code ½·l2·‖w‖²} applied as decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019). Only {@link LinearParameters} are decayed; other parameters pass unchanged.
 */
public final class L2WeightDecay implements StochasticGradientOptimiser {

    @Config(mandatory = true, description = "The optimiser whose steps are taken.")
    private StochasticGradientOptimiser inner;

    @Config(mandatory = true, description = "The L2 penalty per example.")
    private double l2;

    @Config(mandatory = true, description = "The rate the decay is scaled by.")
    private double rate;

    private DenseMatrix weights;

    /** For OLCUT's configuration system. */
    private L2WeightDecay() {
    }

    public L2WeightDecay(StochasticGradientOptimiser inner, double l2, double rate) {
        this.inner = inner;
        this.l2 = l2;
        this.rate = rate;
    }

    @Override
    public void initialise(Parameters parameters) {
        inner.initialise(parameters);
        weights = parameters instanceof LinearParameters p ? p.getWeightMatrix() : null;
    }

    @Override
    public Tensor[] step(Tensor[] updates, double weight) {
        if (weights != null && l2 > 0) {
            double keep = 1 - rate * l2 * weight;
            int rows = weights.getDimension1Size();
            int biasColumn = weights.getDimension2Size() - 1;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < biasColumn; c++) {
                    weights.set(r, c, weights.get(r, c) * keep);
                }
            }
        }
        return inner.step(updates, weight);
    }

    @Override
    public void finalise() {
        inner.finalise();
    }

    @Override
    public void reset() {
        inner.reset();
        weights = null;
    }

    @Override
    public L2WeightDecay copy() {
        return new L2WeightDecay(inner.copy(), l2, rate);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override
    public String toString() {
        return "L2WeightDecay(inner=" + inner + ",l2=" + l2 + ",rate=" + rate + ")";
    }
}

package io.beacon.abtest.stats;

/**
 * The posterior of the relative lift.
 *
 * @param lift        posterior mean of the relative lift
 * @param chanceToWin posterior probability that the lift is positive
 * @param ciLower     lower end of the equal-tailed credible interval
 * @param ciUpper     upper end
 * @param risk        expected loss of shipping the treatment, {@code E[max(0, -lift)]}
 */
public record BayesianResult(double lift, double chanceToWin, double ciLower, double ciUpper, double risk) {
}

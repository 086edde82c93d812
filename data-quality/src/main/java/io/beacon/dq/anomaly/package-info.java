/**
 * Volume anomaly detection (issue 20, item 6), a pure core over plain data: the hourly counts of one series (an
 * event name, a source) in, the hours whose count leaves its seasonal band out.
 *
 * <p>The baseline of an hour is the same hour of week over the previous weeks ({@link SeasonalBaseline}); its centre
 * is their median and its scale their median absolute deviation, floored at the Poisson noise of the median and
 * widened by the error of the median itself, so one odd week neither shifts the band nor narrows it to nothing.
 * {@link VolumeDetector} judges only hours with enough history (warm-up raises nothing) and reports a {@link VolumeAnomaly} when the robust z score passes the
 * sensitivity of {@link VolumeSettings} in the chosen direction and the change is larger than a minimum absolute
 * number of events. The method follows the volume checks of Elementary and Soda (z score over hour-of-week
 * seasonality with a minimum history), with median/MAD in place of mean/standard deviation (Hampel's identifier:
 * Hampel, "The influence curve and its role in robust estimation", JASA 1974).
 */
package io.beacon.dq.anomaly;

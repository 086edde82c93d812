package io.beacon.abtest;

/**
 * The answer for one unit and one running experiment it is eligible for.
 *
 * @param experimentKey  the experiment
 * @param variationIndex the variation served (0 = control, also when not in the experiment)
 * @param variationKey   its key
 * @param inExperiment   whether the unit is part of the experiment (false: outside coverage, namespace,
 *                       or excluded by {@code min_bucket_version}); only units in it are analysed
 * @param hashAttribute  the attribute hashed (the fallback attribute when the primary was missing)
 * @param hashValue      that attribute's value (GrowthBook's {@code hashValue})
 * @param bucket         the hash in {@code [0, 1)} ({@code NaN} when no hash was used: forced or sticky)
 * @param stickyBucketUsed whether a stored sticky assignment decided the variation
 * @param forced         whether a forced variation (QA) decided it; forced units are not logged as exposed
 * @param bucketVersion  the experiment's bucket version at assignment time
 */
public record Assignment(String experimentKey, int variationIndex, String variationKey, boolean inExperiment,
                         String hashAttribute, String hashValue, double bucket, boolean stickyBucketUsed,
                         boolean forced, int bucketVersion) {

    /** Whether this answer should become an exposure event. */
    public boolean loggable() {
        return inExperiment && !forced;
    }
}

package io.beacon.abtest;

/**
 * The answer for one unit and one running experiment it is eligible for. Built by the named factories
 * ({@link #hashed}, {@link #fromStickyBucket}, {@link #forcedTo}, {@link #notInExperiment}) rather than the
 * positional constructor, whose {@code inExperiment}/{@code stickyBucketUsed}/{@code forced} flags read as a run of
 * booleans.
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

    /** A unit in the experiment whose variation the hash decided. */
    public static Assignment hashed(String experimentKey, int variationIndex, String variationKey, String hashAttribute,
                                    String hashValue, double bucket, int bucketVersion) {
        return new Assignment(experimentKey, variationIndex, variationKey, true, hashAttribute, hashValue, bucket, false, false,
                bucketVersion);
    }

    /** A unit in the experiment whose stored sticky assignment decided the variation (no hash used). */
    public static Assignment fromStickyBucket(String experimentKey, int variationIndex, String variationKey, String hashAttribute,
                                              String hashValue, int bucketVersion) {
        return new Assignment(experimentKey, variationIndex, variationKey, true, hashAttribute, hashValue, Double.NaN, true, false,
                bucketVersion);
    }

    /** A unit in the experiment whose variation was forced (QA; no hash used, not logged as exposed). */
    public static Assignment forcedTo(String experimentKey, int variationIndex, String variationKey, String hashAttribute,
                                      String hashValue, int bucketVersion) {
        return new Assignment(experimentKey, variationIndex, variationKey, true, hashAttribute, hashValue, Double.NaN, false, true,
                bucketVersion);
    }

    /** A unit eligible for the experiment but not in it: served the control variation, not analysed. */
    public static Assignment notInExperiment(String experimentKey, String controlKey, String hashAttribute, String hashValue,
                                             double bucket, int bucketVersion) {
        return new Assignment(experimentKey, 0, controlKey, false, hashAttribute, hashValue, bucket, false, false, bucketVersion);
    }

    /** Whether this answer should become an exposure event. */
    public boolean loggable() {
        return inExperiment && !forced;
    }
}

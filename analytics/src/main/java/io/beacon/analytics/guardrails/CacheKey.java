package io.beacon.analytics.guardrails;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The result-cache key: SHA-256 over the project, its zone, the normalized query ({@link CanonicalJson}), the
 * SQL of every cohort the query's filters resolved to (so an edited definition or a moved relative window —
 * "last D days" starts at a local midnight — makes a new key) and the data {@link Watermark}. Pure.
 */
public final class CacheKey {
    private CacheKey() {
    }

    public static String of(String projectId, String zone, String normalizedQuery, List<String> cohortSql, String watermark) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(projectId, zone, normalizedQuery, String.join("\u0001", cohortSql), watermark)) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

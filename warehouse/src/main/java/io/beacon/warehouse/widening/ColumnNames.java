package io.beacon.warehouse.widening;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The column name of a promoted property: {@code p_} plus the property name, made a plain ClickHouse
 * identifier. Pure and deterministic, so every process (and every restart) derives the same name.
 *
 * <ul>
 *   <li>A name that already is {@code [a-z0-9_]{1,64}} keeps its spelling: {@code amount} →
 *       {@code p_amount}, {@code $pageview} is not such a name.</li>
 *   <li>Any other name is lowercased, every character outside {@code [a-z0-9_]} becomes {@code _}, the
 *       result is cut to 48 characters and the first 8 hex digits of the SHA-256 of the original name are
 *       appended: {@code Order Total} → {@code p_order_total_<hash>}, {@code $current_url} →
 *       {@code p__current_url_<hash>}, {@code 价格} → {@code p___<hash>}.</li>
 * </ul>
 *
 * <p><b>Collisions.</b> Two different property names never share a column by accident: safe names map
 * one to one, and a lossy name carries a hash of its exact spelling, so {@code order total},
 * {@code Order Total} and {@code order-total} get three columns. (A safe name could only equal a lossy
 * name's column if it spelled that name's sanitized form plus its own hash — 1 in 2<sup>32</sup> for a
 * deliberately shaped name; {@link PromotedColumns} refuses such a promotion as a conflict rather than
 * mixing the two.) The same name in two projects is the same column: see {@link PromotedColumns}.
 *
 * <p>Base columns of {@code events} never start with {@value #PREFIX}, so a promoted column cannot
 * shadow one.
 */
public final class ColumnNames {

    /** Every promoted column starts with this; no base column of {@code events} does. */
    public static final String PREFIX = "p_";

    private static final Pattern SAFE = Pattern.compile("[a-z0-9_]{1,64}");
    private static final int LOSSY_MAX = 48;

    private ColumnNames() {
    }

    /** The column of property {@code property} (non-empty). */
    public static String columnFor(String property) {
        Objects.requireNonNull(property, "property");
        if (property.isEmpty()) {
            throw new IllegalArgumentException("property name must not be empty");
        }
        if (SAFE.matcher(property).matches()) {
            return PREFIX + property;
        }
        String lower = property.toLowerCase(Locale.ROOT);
        StringBuilder cleaned = new StringBuilder(Math.min(lower.length(), LOSSY_MAX));
        for (int i = 0; i < lower.length() && cleaned.length() < LOSSY_MAX; ) {
            int cp = lower.codePointAt(i);
            cleaned.append(cp < 128 && (Character.isLetterOrDigit(cp) || cp == '_') ? (char) cp : '_');
            i += Character.charCount(cp);
        }
        return PREFIX + cleaned + "_" + shortHash(property);
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

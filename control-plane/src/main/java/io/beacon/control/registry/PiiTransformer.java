package io.beacon.control.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.control.store.ConfigJson;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies the PII class of each property before anything is stored. Pure (same inputs, same
 * output) and thread-safe; the input map is not modified.
 *
 * <ul>
 *   <li>{@code mask}: the value's canonical text ({@link TypeCoercion#canonicalText}) with every
 *       character but the last 4 replaced by {@code *}; values shorter than 8 characters are masked
 *       entirely (so at least half of a value is always hidden). {@code "4111111111111111"} &rarr;
 *       {@code "************1111"}, {@code "bob"} &rarr; {@code "***"}. Characters are code points.</li>
 *   <li>{@code hash}: lowercase hex of HMAC-SHA256 (RFC 2104) with the project's PII secret (its
 *       UTF-8 bytes) as key over the canonical text's UTF-8 bytes; 64 characters. The same value in the
 *       same project always gives the same hash (joinable, countable), other projects get other
 *       hashes, and without the secret it cannot be reversed by guessing.</li>
 *   <li>{@code drop}: the property is removed.</li>
 * </ul>
 * Lists are transformed element by element; objects are first turned into their JSON text;
 * {@code null} stays {@code null}. Apply it to the output of {@link EventValidator} so values are
 * canonical (e.g. {@code 12} and {@code "12"} hash alike for a number property).
 */
public final class PiiTransformer {
    private static final String HMAC = "HmacSHA256";
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has " + HMAC, e);
        }
    });

    private PiiTransformer() {
    }

    /**
     * {@code properties} with every {@code mask}/{@code hash}/{@code drop} property transformed.
     *
     * @param piiSecret  the project's PII secret
     * @param registry   the project's definitions
     * @param properties the (coerced) properties
     * @return a new map, or {@code properties} itself when the registry has no PII property
     */
    public static Map<String, Object> apply(String piiSecret, RegistryView registry, Map<String, Object> properties) {
        if (!registry.hasPii() || properties == null || properties.isEmpty()) {
            return properties;
        }
        Mac mac = null;
        Map<String, Object> out = new LinkedHashMap<>(properties.size() * 2);
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            PropertyDefinition def = registry.propertyOrNull(p.getKey());
            PiiClass pii = def == null ? PiiClass.NONE : def.pii();
            switch (pii) {
                case NONE -> out.put(p.getKey(), p.getValue());
                case DROP -> {
                }
                case MASK -> out.put(p.getKey(), transform(p.getValue(), PiiTransformer::mask));
                case HASH -> {
                    if (mac == null) {
                        mac = keyed(piiSecret);
                    }
                    Mac m = mac;
                    out.put(p.getKey(), transform(p.getValue(), text -> hex(m, text)));
                }
            }
        }
        return out;
    }

    /** The keyed hash of {@code value}'s canonical text under {@code piiSecret}, as {@code hash} stores it. */
    public static String hash(String piiSecret, Object value) {
        return hex(keyed(piiSecret), text(value));
    }

    /** {@code value}'s canonical text masked as {@code mask} stores it. */
    public static String mask(Object value) {
        return mask(text(value));
    }

    private static Object transform(Object value, UnaryOperator<String> f) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(e == null ? null : f.apply(text(e)));
            }
            return out;
        }
        return f.apply(text(value));
    }

    private static String text(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return ConfigJson.mapper().writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return TypeCoercion.canonicalText(value);
    }

    private static String mask(String text) {
        int n = text.codePointCount(0, text.length());
        int keep = n >= 8 ? 4 : 0;
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        for (int offset = 0; offset < text.length(); i++) {
            int cp = text.codePointAt(offset);
            if (i < n - keep) {
                sb.append('*');
            } else {
                sb.appendCodePoint(cp);
            }
            offset += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static Mac keyed(String piiSecret) {
        if (piiSecret == null || piiSecret.isEmpty()) {
            throw new IllegalArgumentException("a PII secret is required to hash");
        }
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(piiSecret.getBytes(StandardCharsets.UTF_8), HMAC));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable PII secret", e);
        }
        return mac;
    }

    private static String hex(Mac mac, String text) {
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}

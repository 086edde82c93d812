package io.beacon.cdp.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries the Standard Webhooks way (https://www.standardwebhooks.com), so receivers can check them with
 * any of its libraries: {@code v1,} + base64 HMAC-SHA256 of {@code {id}.{timestamp}.{body}}, keyed with the
 * base64-decoded part of a {@code whsec_} secret. A destination rotating its secret has several: each signs, and
 * {@code webhook-signature} lists one {@code v1,…} per secret, space-separated, so the receiver accepts either.
 *
 * <p>Holds the decoded keys only and prints none of them ({@code toString} is Object's); error messages never
 * contain a secret. Thread-safe (immutable).
 */
public final class WebhookSigner {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    /** How far {@code webhook-timestamp} may be from the verifier's clock, either way (the libraries' 5 min). */
    public static final long TOLERANCE_SECONDS = 5 * 60;
    /** Key sizes the spec allows: at least 24 bytes (192 bits), at most 64 (512 bits). */
    public static final int MIN_KEY_BYTES = 24;
    public static final int MAX_KEY_BYTES = 64;
    private static final int NEW_KEY_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    /**
     * @param secrets the destination's {@code whsec_} secrets, current first (several during a rotation)
     * @throws IllegalArgumentException when there is none, or one is not {@code whsec_} + base64 of 24..64 bytes
     */
    public WebhookSigner(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook signer needs at least one secret");
        }
        List<SecretKeySpec> out = new ArrayList<>(secrets.size());
        for (String s : secrets) {
            out.add(new SecretKeySpec(decode(s), HMAC));
        }
        this.keys = List.copyOf(out);
    }

    public static WebhookSigner of(String... secrets) {
        return new WebhookSigner(List.of(secrets));
    }

    /**
     * Checks a secret's format.
     *
     * @throws IllegalArgumentException saying what is wrong, without the secret
     */
    public static void checkSecret(String secret) {
        decode(secret);
    }

    /** A fresh secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSecret(SecureRandom random) {
        byte[] key = new byte[NEW_KEY_BYTES];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} value: one {@code v1,…} per secret, space-separated. */
    public String signature(String id, long timestampSeconds, byte[] body) {
        checkId(id);
        StringBuilder sb = new StringBuilder();
        for (SecretKeySpec key : keys) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("v1,").append(Base64.getEncoder().encodeToString(mac(key, id, timestampSeconds, body)));
        }
        return sb.toString();
    }

    public String signature(String id, long timestampSeconds, String body) {
        return signature(id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The three headers of a delivery, in the order {@code webhook-id}, {@code -timestamp}, {@code -signature}. */
    public Map<String, String> headers(String id, long timestampSeconds, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(ID_HEADER, id);
        h.put(TIMESTAMP_HEADER, Long.toString(timestampSeconds));
        h.put(SIGNATURE_HEADER, signature(id, timestampSeconds, body));
        return Collections.unmodifiableMap(h);
    }

    /**
     * Whether a request is authentic: its timestamp is within {@link #TOLERANCE_SECONDS} of {@code nowSeconds}
     * and one of the header's {@code v1} signatures matches one of this signer's secrets (constant-time compare).
     * Signatures of other versions ({@code v1a}, …) are skipped. Any malformed input is simply not authentic.
     */
    public boolean verify(String id, String timestampHeader, String signatureHeader, byte[] body, long nowSeconds) {
        if (id == null || id.isEmpty() || id.indexOf('.') >= 0 || timestampHeader == null || signatureHeader == null
                || !timestampHeader.matches("[0-9]{1,18}")) {
            return false;
        }
        long ts = Long.parseLong(timestampHeader);
        if (Math.abs(nowSeconds - ts) > TOLERANCE_SECONDS) {
            return false;
        }
        List<byte[]> expected = new ArrayList<>(keys.size());
        for (SecretKeySpec key : keys) {
            expected.add(Base64.getEncoder().encodeToString(mac(key, id, ts, body)).getBytes(StandardCharsets.US_ASCII));
        }
        boolean ok = false;
        for (String versioned : signatureHeader.split(" ")) {
            if (!versioned.startsWith("v1,")) {
                continue;
            }
            byte[] given = versioned.substring(3).getBytes(StandardCharsets.US_ASCII);
            for (byte[] e : expected) {
                ok |= MessageDigest.isEqual(e, given);
            }
        }
        return ok;
    }

    /** {@link #verify(String, String, String, byte[], long)} on request headers (names compared case-insensitively). */
    public boolean verify(Map<String, String> headers, byte[] body, long nowSeconds) {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        return verify(lower.get(ID_HEADER), lower.get(TIMESTAMP_HEADER), lower.get(SIGNATURE_HEADER), body, nowSeconds);
    }

    private static byte[] mac(SecretKeySpec key, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    // the spec: id and timestamp must not contain '.', or two different messages could sign the same bytes
    private static void checkId(String id) {
        if (id == null || id.isEmpty() || id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a webhook id is non-empty and contains no '.'");
        }
    }

    private static byte[] decode(String secret) {
        String format = "a webhook secret is " + SECRET_PREFIX + " followed by the base64 of " + MIN_KEY_BYTES
                + " to " + MAX_KEY_BYTES + " random bytes";
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(format + "; this one does not start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(format + "; this one is not valid base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(format + "; this one decodes to " + key.length + " bytes");
        }
        return key;
    }
}

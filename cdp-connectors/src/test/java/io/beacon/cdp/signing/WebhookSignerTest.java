package io.beacon.cdp.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    // the Standard Webhooks published test vector
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldProduceThePublishedStandardWebhooksSignature() {
        assertEquals(SIGNATURE, WebhookSigner.of(SECRET).signature(ID, TIMESTAMP, BODY));
    }

    @Test
    void shouldGiveTheThreeStandardHeaders() {
        Map<String, String> headers = WebhookSigner.of(SECRET).headers(ID, TIMESTAMP, bytes(BODY));

        assertEquals(List.of("webhook-id", "webhook-timestamp", "webhook-signature"), new ArrayList<>(headers.keySet()));
        assertEquals(ID, headers.get("webhook-id"));
        assertEquals("1614265330", headers.get("webhook-timestamp"));
        assertEquals(SIGNATURE, headers.get("webhook-signature"));
    }

    @Test
    void shouldVerifyThePublishedVectorAtItsTimestamp() {
        assertTrue(WebhookSigner.of(SECRET).verify(ID, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP + 10));
    }

    @Test
    void shouldSignWithEverySecretDuringARotationSoEitherVerifies() {
        String header = WebhookSigner.of(OTHER_SECRET, SECRET).signature(ID, TIMESTAMP, BODY);

        String[] parts = header.split(" ");
        assertEquals(2, parts.length);
        assertEquals(SIGNATURE, parts[1]);
        assertTrue(parts[0].startsWith("v1,") && !parts[0].equals(SIGNATURE));
        assertTrue(WebhookSigner.of(SECRET).verify(ID, "1614265330", header, bytes(BODY), TIMESTAMP));
        assertTrue(WebhookSigner.of(OTHER_SECRET).verify(ID, "1614265330", header, bytes(BODY), TIMESTAMP));
        assertTrue(WebhookSigner.of(OTHER_SECRET).verify(ID, "1614265330", "v1a,abc " + parts[0], bytes(BODY), TIMESTAMP));
    }

    @Test
    void shouldRefuseATamperedBodyIdOrTimestamp() {
        WebhookSigner signer = WebhookSigner.of(SECRET);

        assertFalse(signer.verify(ID, "1614265330", SIGNATURE, bytes("{\"test\": 2432232315}"), TIMESTAMP));
        assertFalse(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP));
        assertFalse(signer.verify(ID, "1614265331", SIGNATURE, bytes(BODY), TIMESTAMP));
        assertFalse(WebhookSigner.of(OTHER_SECRET).verify(ID, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP));
    }

    @Test
    void shouldRefuseATimestampOutsideFiveMinutesEitherWay() {
        WebhookSigner signer = WebhookSigner.of(SECRET);

        assertTrue(signer.verify(ID, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP + 300));
        assertFalse(signer.verify(ID, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP + 301));
        assertTrue(signer.verify(ID, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP - 300));
        assertFalse(signer.verify(ID, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP - 301));
    }

    @Test
    void shouldRefuseMalformedHeadersWithoutThrowing() {
        WebhookSigner signer = WebhookSigner.of(SECRET);

        assertFalse(signer.verify(ID, "soon", SIGNATURE, bytes(BODY), TIMESTAMP));
        assertFalse(signer.verify(ID, "1614265330", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", bytes(BODY), TIMESTAMP));
        assertFalse(signer.verify(ID, "1614265330", "v1,", bytes(BODY), TIMESTAMP));
        assertFalse(signer.verify(null, "1614265330", SIGNATURE, bytes(BODY), TIMESTAMP));
        assertFalse(signer.verify(ID, null, SIGNATURE, bytes(BODY), TIMESTAMP));
    }

    @Test
    void shouldVerifyRequestHeadersWhateverTheirCase() {
        Map<String, String> headers = Map.of("Webhook-Id", ID, "WEBHOOK-TIMESTAMP", "1614265330", "webhook-signature", SIGNATURE);

        assertTrue(WebhookSigner.of(SECRET).verify(headers, bytes(BODY), TIMESTAMP));
        assertFalse(WebhookSigner.of(SECRET).verify(Map.of("webhook-id", ID), bytes(BODY), TIMESTAMP));
    }

    @Test
    void shouldRefuseASecretOfTheWrongFormatWithoutQuotingIt() {
        String noPrefix = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String notBase64 = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La-aSw!";
        String tooShort = "whsec_" + Base64.getEncoder().encodeToString(new byte[23]);
        String tooLong = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);

        for (String bad : List.of(noPrefix, notBase64, tooShort, tooLong)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookSigner.checkSecret(bad));
            assertTrue(e.getMessage().startsWith("a webhook secret is whsec_ followed by the base64 of 24 to 64 random bytes"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(bad.replace("whsec_", "")), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookSigner.checkSecret(tooShort))
                .getMessage().endsWith("decodes to 23 bytes"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(List.of()));
    }

    @Test
    void shouldAcceptKeysOf24To64Bytes() {
        WebhookSigner.checkSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[24]));
        WebhookSigner.checkSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[64]));
        WebhookSigner.checkSecret(SECRET);
    }

    @Test
    void shouldRefuseToSignAnIdContainingAFullStop() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of(SECRET).signature("msg_a.b", TIMESTAMP, BODY));
    }

    @Test
    void shouldGenerateValidDistinctSecretsOf32Bytes() {
        SecureRandom random = new SecureRandom();
        String a = WebhookSigner.newSecret(random);
        String b = WebhookSigner.newSecret(random);

        assertTrue(a.startsWith("whsec_"));
        assertEquals(32, Base64.getDecoder().decode(a.substring(6)).length);
        assertFalse(a.equals(b));
        WebhookSigner.checkSecret(a);
        String header = WebhookSigner.of(a).signature(ID, TIMESTAMP, BODY);
        assertTrue(WebhookSigner.of(a).verify(ID, "1614265330", header, bytes(BODY), TIMESTAMP));
    }
}

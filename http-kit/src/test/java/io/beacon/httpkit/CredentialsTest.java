package io.beacon.httpkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void shouldReadTheBearerTokenWhateverTheSchemeCaseAndSpaces() {
        assertEquals(Optional.of("sk_1"), Credentials.bearer(Optional.of("Bearer sk_1")));
        assertEquals(Optional.of("sk_1"), Credentials.bearer(Optional.of("  bearer   sk_1  ")));
        assertEquals(Optional.of("sk_1"), Credentials.bearer(Optional.of("BEARER sk_1")));
    }

    @Test
    void shouldFindNoBearerTokenInOtherSchemesOrEmptyHeaders() {
        assertEquals(Optional.empty(), Credentials.bearer(Optional.empty()));
        assertEquals(Optional.empty(), Credentials.bearer(Optional.of("Bearer ")));
        assertEquals(Optional.empty(), Credentials.bearer(Optional.of("Bearer    ")));
        assertEquals(Optional.empty(), Credentials.bearer(Optional.of("Basic c2tfMTo=")));
        assertEquals(Optional.empty(), Credentials.bearer(Optional.of("sk_1")));
    }

    @Test
    void shouldReadTheWriteKeyAsTheBasicUserName() {
        HttpRequest request = HttpRequest.create("/v1/track").addHeader(RawHeader.create("Authorization", "Basic " + base64("wk_1:")));

        assertEquals(Optional.of("wk_1"), Credentials.writeKey(request));
    }

    @Test
    void shouldReadTheWriteKeyHeaderWhenThereIsNoBasicUser() {
        HttpRequest request = HttpRequest.create("/v1/track")
                .addHeader(RawHeader.create("Authorization", "Basic " + base64(":")))
                .addHeader(RawHeader.create(Credentials.WRITE_KEY_HEADER, " wk_2 "));

        assertEquals(Optional.of("wk_2"), Credentials.writeKey(request));
    }

    @Test
    void shouldFindNoWriteKeyInABareRequest() {
        assertEquals(Optional.empty(), Credentials.writeKey(HttpRequest.create("/v1/track")));
    }

    @Test
    void shouldRefuseBasicCredentialsThatAreNotBase64() {
        HttpRequest request = HttpRequest.create("/v1/track").addHeader(RawHeader.create("Authorization", "Basic !!!"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Credentials.writeKey(request));
        assertEquals("the Authorization header is not valid Basic credentials", e.getMessage());
    }

    @Test
    void shouldNameAKeyByAHashPrefixNeverByTheKey() {
        String id = Credentials.keyId(Optional.of("sk_secret"));

        assertTrue(id.matches("sk:[0-9a-f]{16}"), id);
        assertEquals(id, Credentials.keyId(Optional.of("sk_secret")));
        assertEquals("", Credentials.keyId(Optional.empty()));
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}

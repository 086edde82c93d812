package io.beacon.httpkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretKeyAuthTest {
    private final SecretKeyAuth<String> keys = new SecretKeyAuth<>(key -> Optional.ofNullable(Map.of("sk_a", "project-a").get(key)));

    @Test
    void shouldAuthenticateTheProjectOfAKnownSecretKey() {
        assertEquals("project-a", keys.authenticate(Optional.of("Bearer sk_a")));
    }

    @Test
    void shouldAnswer401WhenTheKeyIsMissing() {
        ApiException e = assertThrows(ApiException.class, () -> keys.authenticate(Optional.empty()));

        assertEquals(401, e.status());
        assertEquals("UNAUTHORIZED", e.code());
        assertEquals("missing 'Authorization: Bearer <secret key>'", e.getMessage());
    }

    @Test
    void shouldAnswer401WhenTheKeyIsUnknown() {
        ApiException e = assertThrows(ApiException.class, () -> keys.authenticate(Optional.of("Bearer sk_b")));

        assertEquals(401, e.status());
        assertEquals("the secret key is not valid", e.getMessage());
    }

    @Test
    void shouldAcceptOnlyTheConfiguredAdminToken() {
        AdminToken admin = AdminToken.of(Optional.of("adm_1"));

        assertTrue(admin.accepts(Optional.of("adm_1")));
        assertFalse(admin.accepts(Optional.of("adm_2")));
        assertFalse(admin.accepts(Optional.empty()));
    }

    @Test
    void shouldAcceptNoAdminTokenWhenNoneIsConfigured() {
        assertFalse(AdminToken.of(Optional.empty()).accepts(Optional.of("adm_1")));
    }
}

package io.beacon.cdp.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.httpkit.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The resync request body. */
class ResyncRoutesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldTakeNoResyncIdFromAnEmptyBodyAnEmptyObjectOrNull() {
        assertEquals(Optional.empty(), ResyncRoutes.resyncId(new byte[0]));
        assertEquals(Optional.empty(), ResyncRoutes.resyncId(b("{}")));
        assertEquals(Optional.empty(), ResyncRoutes.resyncId(b("{\"resync_id\":null}")));
    }

    @Test
    void shouldTakeTheCallersResyncId() {
        assertEquals(Optional.of("rs_2026-12-07"), ResyncRoutes.resyncId(b("{\"resync_id\":\"rs_2026-12-07\"}")));
    }

    @Test
    void shouldRefuseAnUnknownFieldNamingIt() {
        ApiException e = assertThrows(ApiException.class, () -> ResyncRoutes.resyncId(b("{\"segment\":\"vip\"}")));
        assertEquals(400, e.status());
        assertEquals("UNKNOWN_FIELD", e.code());
        assertEquals("segment", e.field());
    }

    @Test
    void shouldRefuseANumericResyncIdNamingIt() {
        ApiException e = assertThrows(ApiException.class, () -> ResyncRoutes.resyncId(b("{\"resync_id\":7}")));
        assertEquals("INVALID_FIELD_TYPE", e.code());
        assertEquals("resync_id", e.field());
    }

    @Test
    void shouldRefuseABodyThatIsNotJson() {
        ApiException e = assertThrows(ApiException.class, () -> ResyncRoutes.resyncId(b("resync")));
        assertEquals("MALFORMED_JSON", e.code());
    }
}

package io.beacon.httpkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadAnEmptyBodyAsAnEmptyObject() {
        assertEquals(0, Json.parseObject(new byte[0]).size());
    }

    @Test
    void shouldRefuseABodyThatIsNotJson() {
        ApiException e = assertThrows(ApiException.class, () -> Json.parseObject(bytes("{nope")));

        assertEquals(400, e.status());
        assertEquals("MALFORMED_JSON", e.code());
    }

    @Test
    void shouldRefuseABodyThatIsNotAnObject() {
        ApiException e = assertThrows(ApiException.class, () -> Json.parseObject(bytes("[1]")));

        assertEquals("NOT_AN_OBJECT", e.code());
    }

    @Test
    void shouldGiveTheTreeOfABodyOrNothingWhenItIsNotJson() {
        assertTrue(Json.tree(bytes("[1]")).orElseThrow().isArray());
        assertTrue(Json.tree(new byte[0]).orElseThrow().isMissingNode());
        assertEquals(Optional.empty(), Json.tree(bytes("{nope")));
    }

    @Test
    void shouldRefuseABodyOverItsLimitWith413() {
        byte[] body = new byte[11];
        assertSame(body, BodyLimit.requireAtMost(body, 11, "query", null));

        ApiException e = assertThrows(ApiException.class, () -> BodyLimit.requireAtMost(body, 10, "query", "body"));

        assertEquals(413, e.status());
        assertEquals("BODY_TOO_LARGE", e.code());
        assertEquals("the query is larger than 10 bytes", e.getMessage());
        assertEquals("body", e.field());
    }
}

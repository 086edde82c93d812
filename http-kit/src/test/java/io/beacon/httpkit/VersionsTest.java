package io.beacon.httpkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void shouldReadTheVersionFromIfMatchInEachForm() {
        assertEquals(3, Versions.parse("3"));
        assertEquals(3, Versions.parse("\"3\""));
        assertEquals(3, Versions.parse("W/\"3\""));
    }

    @Test
    void shouldRefuseABodyVersionThatDisagreesWithIfMatch() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("version", 2);

        ApiException e = assertThrows(ApiException.class, () -> Versions.expected(body, Optional.of("3")));

        assertEquals("INVALID_VERSION", e.code());
        assertEquals("version", e.field());
    }

    @Test
    void shouldRequireAVersion() {
        ApiException e = assertThrows(ApiException.class, () -> Versions.required(JsonNodeFactory.instance.objectNode(), Optional.empty()));

        assertEquals("MISSING_VERSION", e.code());
    }
}

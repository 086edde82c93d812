package io.beacon.control.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.store.ConfigJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentWireFormatTest {
    @Test
    void shouldWritePropertiesSnakeCaseWithLowercaseEnums() throws Exception {
        PropertyDefinition p = PropertyDefinition.of("email", PropertyType.STRING).withPii(PiiClass.HASH).withEnumValues(List.of("a"));
        JsonNode json = ConfigJson.toDocument(p);
        assertEquals("{\"name\":\"email\",\"type\":\"string\",\"enum_values\":[\"a\"],\"pii\":\"hash\",\"promoted\":false}",
                ConfigJson.mapper().writeValueAsString(json));
        assertEquals(p, ConfigJson.read(json, PropertyDefinition.class));
    }

    @Test
    void shouldReadMinimalDocumentsWithDefaults() throws Exception {
        PropertyDefinition p = ConfigJson.mapper().readValue("{\"name\":\"n\",\"type\":\"number\",\"enum_values\":[1,2]}", PropertyDefinition.class);
        assertEquals(List.of("1", "2"), p.enumValues());
        assertEquals(PiiClass.NONE, p.pii());
        assertFalse(p.promoted());
        EventDefinition e = ConfigJson.mapper().readValue("{\"name\":\"e\",\"version\":3}", EventDefinition.class);
        assertEquals(EventStatus.LIVE, e.status());
    }

    @Test
    void shouldRoundTripProjects() {
        Project p = new Project("shop", "Shop", "UTC", EnforcementMode.STRICT, "wk_0123456789abcdef", "sk_0123456789abcdef", "0123456789abcdef0123");
        JsonNode json = ConfigJson.toDocument(p);
        assertEquals("strict", json.get("mode").asText());
        assertEquals("wk_0123456789abcdef", json.get("write_key").asText());
        assertEquals(p, ConfigJson.read(json, Project.class));
    }
}

package io.beacon.control.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.FieldError;
import io.beacon.control.http.DocumentJson;
import io.beacon.control.store.ConfigJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionRulesTest {

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void shouldAcceptAWellFormedEvent() {
        EventDefinition e = new EventDefinition("Order Completed", "Order completed", "After payment", "growth",
                List.of("checkout"), EventStatus.LIVE, List.of("order_id"), List.of("coupon"));
        assertEquals(List.of(), DefinitionRules.validate(e));
    }

    @Test
    void shouldRejectEmptyEventName() {
        assertEquals(List.of("name"), fields(DefinitionRules.validate(EventDefinition.named(""))));
        assertEquals(List.of("name"), fields(DefinitionRules.validate(EventDefinition.named(null))));
    }

    @Test
    void shouldRejectControlCharactersAndOuterWhitespaceInNames() {
        assertEquals(List.of("name"), fields(DefinitionRules.validate(EventDefinition.named("a\nb"))));
        assertEquals(List.of("name"), fields(DefinitionRules.validate(EventDefinition.named(" padded"))));
        assertEquals(List.of("name"), fields(DefinitionRules.validate(EventDefinition.named("x".repeat(201)))));
        assertEquals(List.of(), DefinitionRules.validate(EventDefinition.named("x".repeat(200))));
        assertEquals(List.of(), DefinitionRules.validate(EventDefinition.named("$pageview")));
    }

    @Test
    void shouldRejectAPropertyListedTwiceInTheSameList() {
        EventDefinition e = EventDefinition.named("e").withProperties(List.of("a", "b", "a"), List.of());
        List<FieldError> errors = DefinitionRules.validate(e);
        assertEquals(List.of("required_properties[2]"), fields(errors));
        assertTrue(errors.get(0).message().contains("duplicate property 'a'"));
    }

    @Test
    void shouldRejectAPropertyBothRequiredAndOptional() {
        EventDefinition e = EventDefinition.named("e").withProperties(List.of("a"), List.of("b", "a"));
        assertEquals(List.of("optional_properties[1]"), fields(DefinitionRules.validate(e)));
    }

    @Test
    void shouldRejectEmptyListedPropertyNameAndDuplicateTags() {
        EventDefinition e = new EventDefinition("e", null, null, null, List.of("t", "t"), null, List.of(""), List.of());
        assertEquals(List.of("tags[1]", "required_properties[0]"), fields(DefinitionRules.validate(e)));
    }

    @Test
    void shouldDefaultStatusToLiveAndListsToEmpty() {
        EventDefinition e = new EventDefinition("e", null, null, null, null, null, null, null);
        assertEquals(EventStatus.LIVE, e.status());
        assertEquals(List.of(), e.requiredProperties());
    }

    @Test
    void shouldRequireAPropertyType() {
        assertEquals(List.of("type"), fields(DefinitionRules.validate(PropertyDefinition.of("p", null))));
    }

    @Test
    void shouldRejectEnumValuesThatAreNotValuesOfTheType() {
        PropertyDefinition p = PropertyDefinition.of("level", PropertyType.NUMBER).withEnumValues(List.of("1", "high"));
        assertEquals(List.of("enum_values[1]"), fields(DefinitionRules.validate(p)));
        PropertyDefinition b = PropertyDefinition.of("flag", PropertyType.BOOLEAN).withEnumValues(List.of("true", "maybe"));
        assertEquals(List.of("enum_values[1]"), fields(DefinitionRules.validate(b)));
    }

    @Test
    void shouldRejectDuplicateEnumValuesByCanonicalValue() {
        PropertyDefinition p = PropertyDefinition.of("level", PropertyType.NUMBER).withEnumValues(List.of("1", "1.0"));
        assertEquals(List.of("enum_values[1]"), fields(DefinitionRules.validate(p)));
        PropertyDefinition s = PropertyDefinition.of("plan", PropertyType.STRING).withEnumValues(List.of("a", "a"));
        assertEquals(List.of("enum_values[1]"), fields(DefinitionRules.validate(s)));
    }

    @Test
    void shouldRejectEnumValuesOnDatetime() {
        PropertyDefinition p = PropertyDefinition.of("at", PropertyType.DATETIME).withEnumValues(List.of("2024-01-01T00:00:00Z"));
        assertEquals(List.of("enum_values"), fields(DefinitionRules.validate(p)));
    }

    @Test
    void shouldRejectEmptyPropertyName() {
        assertEquals(List.of("name"), fields(DefinitionRules.validate(PropertyDefinition.of("", PropertyType.STRING))));
    }

    @Test
    void shouldRejectUnknownTypeNamesWhenReadFromJson() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PropertyType.fromWire("strnig"));
        assertTrue(e.getMessage().contains("string|number|boolean|datetime|list"));
    }

    @Test
    void shouldNameANullListElementOfAPropertyBoundFromJson() throws Exception {
        // Given an API body with a null among the enum values
        JsonNode body = ConfigJson.mapper().readTree("{\"name\":\"plan\",\"type\":\"string\",\"enum_values\":[\"free\",null]}");

        // When it is bound and validated as the admin API does
        List<FieldError> errors = DefinitionRules.validate(DocumentJson.bind(body, PropertyDefinition.class));

        // Then the refusal names the element, not the whole body
        assertEquals(List.of(new FieldError("enum_values[1]", "must not be null")), errors);
    }

    @Test
    void shouldNameNullListElementsOfAnEventBoundFromJson() throws Exception {
        JsonNode body = ConfigJson.mapper().readTree(
                "{\"name\":\"e\",\"tags\":[null],\"required_properties\":[\"a\"],\"optional_properties\":[\"b\",null]}");
        List<FieldError> errors = DefinitionRules.validate(DocumentJson.bind(body, EventDefinition.class));
        assertEquals(List.of(new FieldError("tags[0]", "must not be null"), new FieldError("optional_properties[1]", "must not be null")), errors);
    }
}

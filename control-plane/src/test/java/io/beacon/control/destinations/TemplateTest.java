package io.beacon.control.destinations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.InvalidDocumentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Map<String, String> VALUES = Map.of(
            "traits.name", "Ada", "event.name", "purchase", "event.properties.sku", "A-1", "segment.id", "vip",
            "segment.name", "VIP", "person_id", "p42", "type", "segment.entered", "timestamp", "2026-12-07T10:00:00Z");

    private static String render(String text) {
        return Template.parse(text, "template.title").render(v -> Optional.ofNullable(VALUES.get(v)));
    }

    private static InvalidDocumentException refusal(String text) {
        return assertThrows(InvalidDocumentException.class, () -> Template.parse(text, "template.body"));
    }

    @Test
    void shouldRenderEveryKnownVariable() {
        assertEquals("Hi Ada", render("Hi {{traits.name}}"));
        assertEquals("purchase of A-1 by p42", render("{{ event.name }} of {{event.properties.sku}} by {{  person_id }}"));
        assertEquals("VIP (vip) segment.entered at 2026-12-07T10:00:00Z",
                render("{{segment.name}} ({{segment.id}}) {{type}} at {{timestamp}}"));
    }

    @Test
    void shouldRenderAMissingValueAsAnEmptyString() {
        assertEquals("Hi !", render("Hi {{traits.nickname}}!"));
    }

    @Test
    void shouldKeepTextWithoutPlaceholdersAndALoneClosingBrace() {
        assertEquals("no vars }} here", render("no vars }} here"));
        assertEquals("", render(""));
        assertEquals(List.of(new Template.Text("a "), new Template.Variable("traits.name"), new Template.Text(" b")),
                Template.parse("a {{traits.name}} b", "f").parts());
    }

    @Test
    void shouldListTheVariablesInOrderOfFirstUse() {
        assertEquals(List.of("traits.name", "event.name"),
                List.copyOf(Template.parse("{{traits.name}} {{event.name}} {{traits.name}}", "f").variables()));
        assertEquals(Set.of(), Template.parse("plain", "f").variables());
    }

    @Test
    void shouldRefuseAnUnknownVariableNamingTheFieldAndTheVariable() {
        InvalidDocumentException e = refusal("Hi {{trait.name}}");
        assertEquals("template.body", e.first().field());
        assertTrue(e.first().message().contains("'trait.name'"), e.first().message());
        assertEquals("template.body", refusal("{{event.propertiesX}}").first().field());
        assertTrue(refusal("{{traits.}}").first().message().contains("'traits.'"));
        assertTrue(refusal("{{segment}}").first().message().contains("'segment'"));
        assertTrue(refusal("{{traits.first name}}").first().message().contains("unknown variable"));
    }

    @Test
    void shouldAllowExtraVariablesOnlyWhereTheCallerNamesThem() {
        Template t = Template.parse("{{journey.name}} for {{traits.name}}", "steps.push.template.body", Set.of("journey.name"));
        assertEquals("Welcome for Ada", t.render(v -> Optional.of(v.equals("journey.name") ? "Welcome" : "Ada")));
        InvalidDocumentException e = refusal("{{journey.name}}");
        assertTrue(e.first().message().contains("unknown variable 'journey.name'"), e.first().message());
        InvalidDocumentException other = assertThrows(InvalidDocumentException.class,
                () -> Template.parse("{{journey.owner}}", "f", Set.of("journey.name", "journey.id")));
        assertTrue(other.first().message().endsWith("timestamp, journey.id, journey.name)"), other.first().message());
    }

    @Test
    void shouldRefuseAnUnclosedOrEmptyPlaceholder() {
        InvalidDocumentException unclosed = refusal("Hi {{traits.name");
        assertEquals("template.body", unclosed.first().field());
        assertTrue(unclosed.first().message().contains("unclosed '{{' at character 3"), unclosed.first().message());
        assertTrue(refusal("Hi {{ }}").first().message().contains("empty placeholder"));
    }

    @Test
    void shouldReadAMappingValueAsAVariableOrATemplate() {
        Template email = Template.mappingValue("traits.email", "crm.field_mapping.email");
        assertEquals("ada@example.com", email.render(v -> v.equals("traits.email") ? Optional.of("ada@example.com") : Optional.empty()));
        assertEquals("traits.email", email.source());
        Template full = Template.mappingValue("{{traits.first}} {{traits.last}}", "crm.field_mapping.name");
        assertEquals("Ada Lovelace", full.render(v -> Optional.of(v.equals("traits.first") ? "Ada" : "Lovelace")));
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Template.mappingValue("email", "crm.field_mapping.email"));
        assertEquals("crm.field_mapping.email", e.first().field());
        assertTrue(e.first().message().contains("'email'"));
    }
}

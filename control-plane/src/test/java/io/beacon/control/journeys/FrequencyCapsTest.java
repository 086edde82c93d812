package io.beacon.control.journeys;

import static io.beacon.control.journeys.JourneyFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FrequencyCapsTest {

    private static List<FieldError> errors(String body) {
        return assertThrows(InvalidDocumentException.class, () -> FrequencyCaps.parse("shop", object(body))).errors();
    }

    @Test
    void shouldReadTheCapsPerChannel() {
        FrequencyCaps caps = FrequencyCaps.parse("shop", object("{\"caps\":{\"push\":2,\"email\":1},\"version\":3}"));

        assertEquals(Map.of("push", 2, "email", 1), caps.maxPerDay());
        assertEquals(OptionalInt.of(2), caps.maxPerDay("push"));
        assertEquals(OptionalInt.empty(), caps.maxPerDay("webhook"));
        assertEquals("journey_caps/shop/default", caps.key().asString());
    }

    @Test
    void shouldParseItsOwnDocumentBackEqual() {
        FrequencyCaps caps = new FrequencyCaps("shop", Map.of("push", 3, "crm", 10));

        assertEquals(caps, FrequencyCaps.parse("shop", FrequencyCaps.toDocument(caps)));
        assertEquals(FrequencyCaps.none("shop"), FrequencyCaps.parse("shop", FrequencyCaps.toDocument(FrequencyCaps.none("shop"))));
    }

    @Test
    void shouldRefuseEveryCapBelowOneNamingItsChannel() {
        List<FieldError> errors = errors("{\"caps\":{\"push\":0,\"email\":-2,\"crm\":1}}");

        assertEquals(List.of("caps.push", "caps.email"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).message().contains("'push' must be at least 1 send per day, was 0"), errors.get(0).message());
    }

    @Test
    void shouldRefuseNonIntegerCapsMalformedChannelsAndUnknownFields() {
        List<FieldError> errors = errors("{\"caps\":{\"push\":1.5,\"Push Alerts\":1,\"sms\":\"2\"},\"limit\":1}");

        assertEquals(List.of("limit", "caps.push", "caps.Push Alerts", "caps.sms"), errors.stream().map(FieldError::field).toList());
    }

    @Test
    void shouldRequireTheCapsObject() {
        assertEquals("caps", errors("{}").get(0).field());
        assertEquals("caps", errors("{\"caps\":[1]}").get(0).field());
    }
}

package io.beacon.control.destinations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigEntry;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Standard Webhooks published test secret (24 bytes). */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String MINIMAL = "{\"name\":\"Hooks\",\"type\":\"webhook\",\"url\":\"https://hooks.example.com/beacon\"}";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static DestinationDefinition parse(String body) {
        return DestinationJson.parseBody(json(body), "shop", null, List.of(), () -> OTHER);
    }

    /** {@link #MINIMAL} with {@code field} set to the JSON {@code value}. */
    private static String with(String field, String value) {
        ObjectNode o = json(MINIMAL);
        o.set(field, json("{\"v\":" + value + "}").get("v"));
        if (!o.has("id")) {
            o.put("id", "d1");
        }
        return o.toString();
    }

    private static InvalidDocumentException refusal(String body) {
        return assertThrows(InvalidDocumentException.class, () -> parse(body));
    }

    private static String errorField(String body) {
        return refusal(body).first().field();
    }

    // ---- defaults and round trip ---------------------------------------------------------------

    @Test
    void shouldFillTheDefaultsAndGenerateOneSecretOnCreate() {
        DestinationDefinition d = DestinationJson.parseBody(json("{\"id\":\"dst_a\"," + MINIMAL.substring(1)), "shop", null);

        assertEquals("shop", d.projectId());
        assertEquals("dst_a", d.id());
        assertEquals(DestinationType.WEBHOOK, d.type());
        assertEquals(50, d.rateLimitPerSecond());
        assertEquals(4, d.concurrency());
        assertTrue(d.enabled());
        assertNull(d.disabledReason());
        assertEquals(List.of(), d.subscriptions());
        assertEquals(Map.of(), d.headers());
        assertEquals(1, d.secrets().size());
        String secret = d.secrets().get(0);
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(32, DestinationJson.secretKey(secret).length);
        assertEquals(Optional.empty(), DestinationJson.checkSecret(secret));
        assertFalse(DestinationJson.newSecret().equals(secret));
    }

    @Test
    void shouldRoundTripAFullWebhookThroughTheDocument() {
        DestinationDefinition d = parse("""
                {"id":"dst_full","name":"CRM hooks","type":"webhook","url":"https://hooks.example.com:8443/beacon?x=1",
                 "secrets":["%s","%s"],"headers":{"X-Api-Key":"k-123","Accept":"application/json"},
                 "rate_limit_per_second":10000,"concurrency":64,"enabled":false,
                 "subscriptions":[{"on":"segment_entered","segment":"vip"},{"on":"segment_exited","segment":"vip"},
                   {"on":"event","event":"Order Completed","where":[{"property":"plan","op":"eq","value":"pro"},
                     {"property":"total","op":"gt","value":99.5},{"property":"coupon","op":"exists"},
                     {"property":"country","op":"neq","value":"FR"},{"property":"items","op":"lt","value":3}]}]}
                """.formatted(SECRET, OTHER));

        ObjectNode doc = DestinationJson.toDocument(d.withVersion(0, 1_700_000_000_000L));
        DestinationDefinition back = DestinationJson.fromEntry(new ConfigEntry(d.key(), 3, doc));

        assertEquals(d.withVersion(3, 1_700_000_000_000L), back);
        assertEquals(List.of("X-Api-Key", "Accept"), List.copyOf(back.headers().keySet()));
        assertEquals(List.of(SECRET, OTHER), back.secrets());
        assertEquals("2023-11-14T22:13:20Z", doc.path("updated_at").asText());
        assertEquals("gt", doc.path("subscriptions").path(2).path("where").path(1).path("op").asText());
        assertEquals(new Subscription.EventMatching("Order Completed", List.of(
                new PropertyFilter("plan", FilterOp.EQ, TextNode.valueOf("pro")),
                new PropertyFilter("total", FilterOp.GT, json("{\"v\":99.5}").get("v")),
                new PropertyFilter("coupon", FilterOp.EXISTS, null),
                new PropertyFilter("country", FilterOp.NEQ, TextNode.valueOf("FR")),
                new PropertyFilter("items", FilterOp.LT, IntNode.valueOf(3)))), back.subscriptions().get(2));
    }

    @Test
    void shouldRoundTripPushAndCrmDestinations() {
        DestinationDefinition push = parse("""
                {"id":"p","name":"Push","type":"push","url":"https://push.example.com/v1/send",
                 "template":{"title":"Hi {{traits.name}}","body":"You joined {{segment.name}}","deep_link":"app://seg/{{segment.id}}"}}""");
        DestinationDefinition crm = parse("""
                {"id":"c","name":"CRM","type":"crm","url":"https://crm.example.com/contacts",
                 "crm":{"field_mapping":{"email":"traits.email","first_name":"traits.name"},"list":"beacon-vip"}}""");

        assertEquals("Hi {{traits.name}}", push.template().title().source());
        assertEquals("app://seg/vip", push.template().deepLink().render(v -> Optional.of("vip")));
        assertEquals(50, crm.crm().batchSize());
        assertEquals("beacon-vip", crm.crm().list());
        assertEquals(List.of("email", "first_name"), List.copyOf(crm.crm().fieldMapping().keySet()));
        for (DestinationDefinition d : List.of(push, crm)) {
            DestinationDefinition back = DestinationJson.fromEntry(new ConfigEntry(d.key(), 1, DestinationJson.toDocument(d)));
            assertEquals(d.withVersion(1, 0), back);
        }
    }

    @Test
    void shouldKeepTheDisabledReasonOfAStoredDocumentButIgnoreItInABody() {
        DestinationDefinition d = parse(with("enabled", "false"));
        ObjectNode doc = DestinationJson.toDocument(d.withEnabled(false, "410 Gone from the receiver"));
        assertEquals("410 Gone from the receiver", DestinationJson.fromEntry(new ConfigEntry(d.key(), 2, doc)).disabledReason());
        assertNull(parse(doc.toString()).disabledReason());
    }

    // ---- secrets -------------------------------------------------------------------------------

    @Test
    void shouldMaskSecretsExceptInTheAnswersThatRevealThem() {
        DestinationDefinition d = parse(with("secrets", "[\"" + SECRET + "\",\"" + OTHER + "\"]"));

        ObjectNode masked = DestinationJson.toApiJson(d, false);
        assertEquals("[\"whsec_MfKQ…\",\"whsec_AAAA…\"]", masked.path("secrets").toString());
        assertFalse(masked.toString().contains(SECRET));
        assertEquals(SECRET, DestinationJson.toApiJson(d, true).path("secrets").path(0).asText());
        assertEquals("{\"secrets\":[\"" + SECRET + "\",\"" + OTHER + "\"]}", DestinationJson.secretsJson(d).toString());
        assertEquals("shop", masked.path("project_id").asText());
        assertFalse(d.toString().contains(SECRET));
    }

    @Test
    void shouldKeepOrResolveTheCurrentSecretsOnAnUpdate() {
        List<String> current = List.of(SECRET);
        DestinationDefinition kept = DestinationJson.parseBody(json(with("id", "\"d1\"")), "shop", null, current, () -> OTHER);
        assertEquals(current, kept.secrets());

        String rotated = with("secrets", "[\"" + OTHER + "\",\"whsec_MfKQ…\"]");
        DestinationDefinition rotation = DestinationJson.parseBody(json(rotated), "shop", null, current, () -> "unused");
        assertEquals(List.of(OTHER, SECRET), rotation.secrets());

        InvalidDocumentException unknownMask = assertThrows(InvalidDocumentException.class, () ->
                DestinationJson.parseBody(json(with("secrets", "[\"whsec_ZZZZ…\"]")), "shop", null, current, () -> OTHER));
        assertEquals("secrets[0]", unknownMask.first().field());
    }

    @Test
    void shouldRefuseMalformedSecretsNamingTheEntry() {
        assertEquals("secrets[0]", errorField(with("secrets", "[\"sk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"]")));
        assertEquals("secrets[0]", errorField(with("secrets", "[\"whsec_not*base64!\"]")));
        String short16 = "whsec_" + Base64.getEncoder().encodeToString(new byte[16]);
        InvalidDocumentException tooShort = refusal(with("secrets", "[\"" + short16 + "\"]"));
        assertEquals("secrets[0]", tooShort.first().field());
        assertTrue(tooShort.first().message().contains("24 to 64 bytes, was 16"), tooShort.first().message());
        String long65 = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);
        assertEquals("secrets[1]", errorField(with("secrets", "[\"" + SECRET + "\",\"" + long65 + "\"]")));
        assertEquals("secrets[1]", errorField(with("secrets", "[\"" + SECRET + "\",\"" + SECRET + "\"]")));
        assertEquals("secrets[0]", errorField(with("secrets", "[42]")));
        assertEquals("secrets", errorField(with("secrets", "[]")));
        assertEquals("secrets", errorField(with("secrets", "[\"" + SECRET + "\",\"" + OTHER + "\",\"" + DestinationJson.newSecret()
                + "\",\"" + DestinationJson.newSecret() + "\"]")));
        assertEquals("secrets", errorField(with("secrets", "\"" + SECRET + "\"")));
        String key64 = "whsec_" + Base64.getEncoder().encodeToString(new byte[64]);
        assertEquals(List.of(key64), parse(with("secrets", "[\"" + key64 + "\"]")).secrets());
    }

    // ---- url -----------------------------------------------------------------------------------

    @Test
    void shouldRefuseABadUrlNamingTheUrlField() {
        for (String bad : List.of("\"ftp://hooks.example.com/x\"", "\"/relative/path\"", "\"hooks.example.com/x\"",
                "\"https://user:pw@hooks.example.com/x\"", "\"https:///nohost\"", "\"http://exa mple.com/\"",
                "\"https://hooks.example.com:99999/\"", "\"\"", "null", "42",
                "\"https://hooks.example.com/" + "a".repeat(2000) + "\"")) {
            InvalidDocumentException e = refusal(with("url", bad));
            assertEquals("url", e.first().field(), bad + " → " + e.first().message());
        }
        assertEquals("http://127.0.0.1:8080/hook", parse(with("url", "\"http://127.0.0.1:8080/hook\"")).url());
        assertEquals("HTTPS://[::1]/x", parse(with("url", "\"HTTPS://[::1]/x\"")).url());
    }

    // ---- headers -------------------------------------------------------------------------------

    @Test
    void shouldRefuseBadOrReservedHeadersNamingTheHeader() {
        assertEquals("headers.Bad Name", errorField(with("headers", "{\"Bad Name\":\"x\"}")));
        assertEquals("headers.X(y)", errorField(with("headers", "{\"X(y)\":\"x\"}")));
        assertEquals("headers.webhook-signature", errorField(with("headers", "{\"webhook-signature\":\"v1,x\"}")));
        assertEquals("headers.Webhook-Id", errorField(with("headers", "{\"Webhook-Id\":\"x\"}")));
        assertEquals("headers.Content-Type", errorField(with("headers", "{\"Content-Type\":\"text/plain\"}")));
        assertEquals("headers.content-length", errorField(with("headers", "{\"content-length\":\"3\"}")));
        assertEquals("headers.Host", errorField(with("headers", "{\"Host\":\"evil.example\"}")));
        assertEquals("headers.x-a", errorField(with("headers", "{\"X-A\":\"1\",\"x-a\":\"2\"}")));
        assertEquals("headers.X-A", errorField(with("headers", "{\"X-A\":\"line\\r\\nInjected: yes\"}")));
        assertEquals("headers.X-A", errorField(with("headers", "{\"X-A\":7}")));
        assertEquals("headers.X-A", errorField(with("headers", "{\"X-A\":\"" + "v".repeat(2001) + "\"}")));
        assertEquals("headers", errorField(with("headers", "[\"X-A\"]")));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"X-").append(i).append("\":\"v\"");
        }
        assertEquals("headers", errorField(with("headers", many.append("}").toString())));
        assertEquals(Map.of("X-Api-Key", "k\t1", "Authorization", "Bearer t"),
                parse(with("headers", "{\"X-Api-Key\":\"k\\t1\",\"Authorization\":\"Bearer t\"}")).headers());
    }

    // ---- numbers, booleans, names, types -------------------------------------------------------

    @Test
    void shouldRefuseOutOfRangeNumbersAndWrongTypes() {
        assertEquals("rate_limit_per_second", errorField(with("rate_limit_per_second", "0")));
        assertEquals("rate_limit_per_second", errorField(with("rate_limit_per_second", "10001")));
        assertEquals("rate_limit_per_second", errorField(with("rate_limit_per_second", "2.5")));
        assertEquals("rate_limit_per_second", errorField(with("rate_limit_per_second", "\"50\"")));
        assertEquals("concurrency", errorField(with("concurrency", "0")));
        assertEquals("concurrency", errorField(with("concurrency", "65")));
        assertEquals("concurrency", errorField(with("concurrency", "99999999999")));
        assertEquals("enabled", errorField(with("enabled", "\"yes\"")));
        assertEquals(1, parse(with("rate_limit_per_second", "1")).rateLimitPerSecond());
        assertEquals(1, parse(with("concurrency", "1")).concurrency());
    }

    @Test
    void shouldRefuseBadNamesIdsTypesAndUnknownFields() {
        assertEquals("name", errorField(with("name", "\"" + "n".repeat(201) + "\"")));
        assertEquals("name", errorField(with("name", "\"\"")));
        assertEquals("name", errorField(with("name", "null")));
        assertEquals("name", errorField(with("name", "[1]")));
        assertEquals("type", errorField(with("type", "\"email\"")));
        assertEquals("type", errorField(with("type", "null")));
        assertEquals("id", errorField(with("id", "\"has space\"")));
        assertEquals("id", errorField(with("id", "\"stats\"")));
        assertEquals("url_", errorField(with("url_", "\"x\"")));
        assertEquals("project_id", errorField(with("project_id", "\"other\"")));
        assertEquals("body", assertThrows(InvalidDocumentException.class,
                () -> DestinationJson.parseBody(json("{\"v\":[1]}").get("v"), "shop", null)).first().field());
        assertEquals("id", assertThrows(InvalidDocumentException.class,
                () -> DestinationJson.parseBody(json(with("id", "\"a\"")), "shop", "b")).first().field());
        assertEquals(200, parse(with("name", "\"" + "n".repeat(200) + "\"")).name().length());
    }

    // ---- subscriptions -------------------------------------------------------------------------

    @Test
    void shouldRefuseMalformedSubscriptionsNamingTheirPath() {
        assertEquals("subscriptions[0].on", errorField(with("subscriptions", "[{\"on\":\"score_crossed\",\"segment\":\"s\"}]")));
        assertEquals("subscriptions[0].on", errorField(with("subscriptions", "[{\"segment\":\"s\"}]")));
        assertEquals("subscriptions[0].segment", errorField(with("subscriptions", "[{\"on\":\"segment_entered\"}]")));
        assertEquals("subscriptions[0].segment", errorField(with("subscriptions", "[{\"on\":\"segment_exited\",\"segment\":\"bad id\"}]")));
        assertEquals("subscriptions[0].event", errorField(with("subscriptions", "[{\"on\":\"segment_entered\",\"segment\":\"s\",\"event\":\"e\"}]")));
        assertEquals("subscriptions[1].event", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\"},{\"on\":\"event\",\"event\":\"" + "e".repeat(201) + "\"}]")));
        assertEquals("subscriptions[0].event", errorField(with("subscriptions", "[{\"on\":\"event\"}]")));
        assertEquals("subscriptions[0].where[0].op", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"property\":\"p\",\"op\":\"contains\",\"value\":\"x\"}]}]")));
        assertEquals("subscriptions[0].where[0].value", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"property\":\"p\",\"op\":\"gt\",\"value\":\"10\"}]}]")));
        assertEquals("subscriptions[0].where[0].value", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"property\":\"p\",\"op\":\"eq\"}]}]")));
        assertEquals("subscriptions[0].where[0].value", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"property\":\"p\",\"op\":\"eq\",\"value\":{\"a\":1}}]}]")));
        assertEquals("subscriptions[0].where[0].value", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"property\":\"p\",\"op\":\"exists\",\"value\":1}]}]")));
        assertEquals("subscriptions[0].where[0].property", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"op\":\"exists\"}]}]")));
        assertEquals("subscriptions[0].where[0].flag", errorField(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"a\",\"where\":[{\"property\":\"p\",\"op\":\"exists\",\"flag\":true}]}]")));
        assertEquals("subscriptions[0].where", errorField(with("subscriptions", "[{\"on\":\"event\",\"event\":\"a\",\"where\":{}}]")));
        assertEquals("subscriptions[1]", errorField(with("subscriptions",
                "[{\"on\":\"segment_entered\",\"segment\":\"s\"},{\"on\":\"segment_entered\",\"segment\":\"s\"}]")));
        assertEquals("subscriptions[0]", errorField(with("subscriptions", "[\"vip\"]")));
        assertEquals("subscriptions", errorField(with("subscriptions", "{}")));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{\"on\":\"event\",\"event\":\"e").append(i).append("\"}");
        }
        assertEquals("subscriptions", errorField(with("subscriptions", many.append("]").toString())));
    }

    @Test
    void shouldMatchEventsAgainstTheWhereConditions() {
        Subscription.EventMatching s = (Subscription.EventMatching) parse(with("subscriptions",
                "[{\"on\":\"event\",\"event\":\"purchase\",\"where\":[{\"property\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"},"
                        + "{\"property\":\"total\",\"op\":\"gt\",\"value\":100},{\"property\":\"coupon\",\"op\":\"exists\"}]}]"))
                .subscriptions().get(0);

        assertTrue(s.matches("purchase", json("{\"plan\":\"pro\",\"total\":100.5,\"coupon\":\"X\"}")));
        assertFalse(s.matches("purchase", json("{\"plan\":\"pro\",\"total\":100,\"coupon\":\"X\"}")));
        assertFalse(s.matches("purchase", json("{\"plan\":\"free\",\"total\":500,\"coupon\":\"X\"}")));
        assertFalse(s.matches("purchase", json("{\"plan\":\"pro\",\"total\":500}")));
        assertFalse(s.matches("refund", json("{\"plan\":\"pro\",\"total\":500,\"coupon\":\"X\"}")));
        assertTrue(new PropertyFilter("n", FilterOp.EQ, IntNode.valueOf(3)).matches(json("{\"n\":3.0}")));
        assertTrue(new PropertyFilter("c", FilterOp.NEQ, TextNode.valueOf("FR")).matches(json("{\"c\":\"DE\"}")));
        assertFalse(new PropertyFilter("c", FilterOp.NEQ, TextNode.valueOf("FR")).matches(json("{}")));
        assertTrue(new PropertyFilter("n", FilterOp.LT, IntNode.valueOf(3)).matches(json("{\"n\":2}")));
    }

    // ---- push template and crm -----------------------------------------------------------------

    @Test
    void shouldRequireAValidTemplateForPushOnly() {
        String push = "{\"id\":\"p\",\"name\":\"P\",\"type\":\"push\",\"url\":\"https://push.example.com/\"";
        assertEquals("template", errorField(push + "}"));
        assertEquals("template.body", errorField(push + ",\"template\":{\"title\":\"Hi\"}}"));
        assertEquals("template.title", errorField(push + ",\"template\":{\"body\":\"Hi\",\"title\":\"\"}}"));
        InvalidDocumentException unknown = refusal(push + ",\"template\":{\"title\":\"Hi {{traits.name}} {{user.email}}\",\"body\":\"b\"}}");
        assertEquals("template.title", unknown.first().field());
        assertTrue(unknown.first().message().contains("'user.email'"), unknown.first().message());
        assertEquals("template.deep_link", errorField(push + ",\"template\":{\"title\":\"t\",\"body\":\"b\",\"deep_link\":\"app://{{segment.id\"}}"));
        assertEquals("template.sound", errorField(push + ",\"template\":{\"title\":\"t\",\"body\":\"b\",\"sound\":\"x\"}}"));
        assertEquals("template.title", errorField(push + ",\"template\":{\"title\":\"" + "t".repeat(4001) + "\",\"body\":\"b\"}}"));
        assertEquals("template", errorField(with("template", "{\"title\":\"t\",\"body\":\"b\"}")));
    }

    @Test
    void shouldRequireAValidFieldMappingForCrmOnly() {
        String crm = "{\"id\":\"c\",\"name\":\"C\",\"type\":\"crm\",\"url\":\"https://crm.example.com/\"";
        assertEquals("crm.field_mapping", errorField(crm + "}"));
        assertEquals("crm.field_mapping", errorField(crm + ",\"crm\":{\"list\":\"vip\"}}"));
        assertEquals("crm.field_mapping", errorField(crm + ",\"crm\":{\"field_mapping\":{}}}"));
        InvalidDocumentException unknown = refusal(crm + ",\"crm\":{\"field_mapping\":{\"email\":\"trait.email\"}}}");
        assertEquals("crm.field_mapping.email", unknown.first().field());
        assertTrue(unknown.first().message().contains("'trait.email'"));
        assertEquals("crm.field_mapping.email", errorField(crm + ",\"crm\":{\"field_mapping\":{\"email\":1}}}"));
        assertEquals("crm.batch_size", errorField(crm + ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"batch_size\":101}}"));
        assertEquals("crm.batch_size", errorField(crm + ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"batch_size\":0}}"));
        assertEquals("crm.list", errorField(crm + ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"\"}}"));
        assertEquals("crm.owner", errorField(crm + ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"owner\":\"x\"}}"));
        assertEquals("crm", errorField(with("crm", "{\"field_mapping\":{\"email\":\"traits.email\"}}")));
        assertEquals(100, parse(crm + ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"batch_size\":100}}").crm().batchSize());
    }

    @Test
    void shouldAcceptAGetAnswerSentBack() {
        DestinationDefinition d = parse(with("subscriptions", "[{\"on\":\"segment_entered\",\"segment\":\"vip\"}]"));
        JsonNode answer = DestinationJson.toApiJson(d.withVersion(4, 1_000), false);
        DestinationDefinition again = DestinationJson.parseBody(answer, "shop", "d1", d.secrets(), () -> OTHER);
        assertEquals(d, again);
    }
}

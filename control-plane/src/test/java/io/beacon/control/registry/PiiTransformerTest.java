package io.beacon.control.registry;

import static io.beacon.control.registry.RegistryFixtures.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiTransformerTest {
    private final RegistryView registry = RegistryFixtures.shop();

    @Test
    void shouldHashWithHmacSha256UnderTheProjectSecret() {
        Map<String, Object> out = PiiTransformer.apply(SECRET, registry, Map.of("email", "ann@example.com"));
        // HMAC-SHA256(key="0123456789abcdef0123456789abcdef", "ann@example.com"), computed independently with openssl
        assertEquals("093e3dd9df951c5008225d533a0175475075f7551ed269c5e61fa29bc2819ae4", out.get("email"));
        assertFalse(out.containsValue("ann@example.com"));
    }

    @Test
    void shouldHashEqualValuesEquallyAndOtherSecretsDifferently() {
        String a = PiiTransformer.hash(SECRET, "ann@example.com");
        assertEquals(a, PiiTransformer.hash(SECRET, "ann@example.com"));
        assertNotEquals(a, PiiTransformer.hash(SECRET, "bob@example.com"));
        assertNotEquals(a, PiiTransformer.hash("another-secret-of-another-project", "ann@example.com"));
    }

    @Test
    void shouldMaskAllButTheLastFourCharacters() {
        Map<String, Object> out = PiiTransformer.apply(SECRET, registry, Map.of("card", "4111111111111111"));
        assertEquals("************1111", out.get("card"));
    }

    @Test
    void shouldMaskShortValuesEntirely() {
        assertEquals("*******", PiiTransformer.mask("1234567"));
        assertEquals("****5678", PiiTransformer.mask("12345678"));
        assertEquals("***", PiiTransformer.mask("bob"));
        assertEquals("", PiiTransformer.mask(""));
    }

    @Test
    void shouldMaskByCodePoints() {
        assertEquals("****😀bcd", PiiTransformer.mask("1234😀bcd"));
    }

    @Test
    void shouldDropDropProperties() {
        Map<String, Object> out = PiiTransformer.apply(SECRET, registry, Map.of("ssn", "078-05-1120", "plan", "pro"));
        assertEquals(Map.of("plan", "pro"), out);
    }

    @Test
    void shouldLeaveOtherPropertiesAndNullsUntouched() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("plan", "pro");
        in.put("email", null);
        in.put("unknown", 3);
        Map<String, Object> out = PiiTransformer.apply(SECRET, registry, in);
        assertEquals(in, out);
    }

    @Test
    void shouldTransformListsElementByElement() {
        RegistryView view = RegistryView.of(List.of(),
                List.of(PropertyDefinition.of("emails", PropertyType.LIST).withPii(PiiClass.HASH)));
        Map<String, Object> out = PiiTransformer.apply(SECRET, view, Map.of("emails", Arrays.asList("a@x.io", null)));
        List<?> hashed = (List<?>) out.get("emails");
        assertEquals(PiiTransformer.hash(SECRET, "a@x.io"), hashed.get(0));
        assertEquals(null, hashed.get(1));
    }

    @Test
    void shouldHashCoercedNumbersLikeTheirCanonicalText() {
        assertEquals(PiiTransformer.hash(SECRET, "12"), PiiTransformer.hash(SECRET, 12L));
        assertEquals(PiiTransformer.hash(SECRET, "12"), PiiTransformer.hash(SECRET, 12.0));
    }

    @Test
    void shouldNotModifyTheInputMap() {
        Map<String, Object> in = new LinkedHashMap<>(Map.of("email", "ann@example.com"));
        PiiTransformer.apply(SECRET, registry, in);
        assertEquals("ann@example.com", in.get("email"));
    }

    @Test
    void shouldReturnTheInputWhenTheRegistryHasNoPii() {
        Map<String, Object> in = new LinkedHashMap<>(Map.of("email", "ann@example.com"));
        assertSame(in, PiiTransformer.apply(SECRET, RegistryView.empty(), in));
    }

    @Test
    void shouldGiveTheSameHashesFromManyThreads() throws Exception {
        String expected = PiiTransformer.hash(SECRET, "ann@example.com");
        List<Thread> threads = new ArrayList<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    Object h = PiiTransformer.apply(SECRET, registry, Map.of("email", "ann@example.com")).get("email");
                    if (!expected.equals(h)) {
                        wrong.add(String.valueOf(h));
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), wrong);
    }
}

package io.beacon.streams.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeInferenceTest {

    @Test
    void shouldRecordTheJsonTypeOfEachValueWithoutGuessing() {
        assertEquals("boolean", TypeInference.observedType(true));
        assertEquals("number", TypeInference.observedType(12));
        assertEquals("number", TypeInference.observedType(1.5));
        assertEquals("string", TypeInference.observedType("12"), "a numeric string is a string");
        assertEquals("string", TypeInference.observedType("abc"));
        assertEquals("list", TypeInference.observedType(List.of("a")));
        assertEquals("object", TypeInference.observedType(Map.of("a", 1)));
        assertNull(TypeInference.observedType(null));
    }

    @Test
    void shouldSeeIsoDateTimesWithOffsetAsDatetime() {
        assertEquals("datetime", TypeInference.observedType("2026-01-01T00:00:00Z"));
        assertEquals("datetime", TypeInference.observedType("2026-01-01T10:00:00.123+02:00"));
        assertEquals("string", TypeInference.observedType("2026-01-01T00:00:00"), "no offset: its zone would be a guess");
        assertEquals("string", TypeInference.observedType("2026-01-01"));
        assertEquals("string", TypeInference.observedType("2026-13-45T99:00:00Z"));
    }
}

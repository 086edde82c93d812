package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DqFactCodecTest {

    @Test
    void shouldRoundTripAFactWithItsWireNames() {
        DqFact f = new DqFact("shop", DqFact.Stage.GATEWAY_REJECTED, "INVALID_EVENT", "buy", "m-1", 1_764_000_000_000L);
        byte[] bytes = DqFactCodec.encode(f);
        assertEquals("{\"project_id\":\"shop\",\"stage\":\"gateway_rejected\",\"code\":\"INVALID_EVENT\",\"event_name\":\"buy\","
                + "\"event_id\":\"m-1\",\"received_at_ms\":1764000000000}", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(f, DqFactCodec.decode(bytes));
    }

    @Test
    void shouldNameTheFieldOfAMalformedFact() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DqFactCodec.decode(
                "{\"project_id\":\"shop\",\"stage\":\"lost\",\"code\":\"x\",\"event_name\":\"\",\"event_id\":\"\",\"received_at_ms\":1}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("stage is not a data-quality stage: lost", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DqFactCodec.decode(
                "{\"project_id\":\"shop\",\"stage\":\"duplicate\",\"code\":\"duplicate\",\"event_name\":\"\",\"event_id\":\"\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("received_at_ms must be an integer", e.getMessage());
    }
}

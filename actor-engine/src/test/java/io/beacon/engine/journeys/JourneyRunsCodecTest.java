package io.beacon.engine.journeys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JourneyRunsCodecTest {
    private static final UserJourneys STATE = new UserJourneys(
            Map.of("welcome", new JourneyRun("welcome", 3, 2, "wait", 1_700_000_000_000L, 1_700_000_100_000L, Long.MAX_VALUE,
                            JourneyRun.Status.ACTIVE, null, 7, true, Long.MIN_VALUE),
                    "winback", new JourneyRun("winback", 1, 1, "d", -5, 0, 42, JourneyRun.Status.EXITED, "exit_criteria", 3,
                            false, 1_700_000_200_000L),
                    "ünï", new JourneyRun("ünï", 1, 1, "e", 1, 1, Long.MAX_VALUE, JourneyRun.Status.COMPLETED, null, 4, false, 9)),
            Map.of("push", new UserJourneys.ChannelDay(20_415, 2), "crm", new UserJourneys.ChannelDay(-1, 1)),
            List.of("e/ev1", "s+/new_users/ev2"));

    @Test
    void shouldDecodeWhatItEncoded() {
        assertEquals(STATE, JourneyRunsCodec.decode(JourneyRunsCodec.encode(STATE)));
        assertEquals(UserJourneys.EMPTY, JourneyRunsCodec.decode(JourneyRunsCodec.encode(UserJourneys.EMPTY)));
    }

    @Test
    void shouldStartWithTheFormatVersionByte() {
        assertEquals(JourneyRunsCodec.VERSION, JourneyRunsCodec.encode(STATE)[0]);
        assertArrayEquals(new byte[] {1, 0, 0, 0}, JourneyRunsCodec.encode(UserJourneys.EMPTY));
    }

    @Test
    void shouldRefuseAnotherFormatVersion() {
        byte[] bytes = JourneyRunsCodec.encode(STATE);
        bytes[0] = 9;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JourneyRunsCodec.decode(bytes));

        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void shouldRefuseTruncatedOrTrailingBytes() {
        byte[] bytes = JourneyRunsCodec.encode(STATE);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThrows(IllegalArgumentException.class, () -> JourneyRunsCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class, () -> JourneyRunsCodec.decode(longer));
        assertTrue(trailing.getMessage().contains("1 bytes after"), trailing.getMessage());
    }

    @Test
    void shouldKeepARunInAFewDozenBytes() {
        UserJourneys one = new UserJourneys(Map.of("welcome", STATE.runs().get("welcome")), Map.of(), List.of());

        assertTrue(JourneyRunsCodec.encode(one).length < 64, "bytes: " + JourneyRunsCodec.encode(one).length);
    }
}

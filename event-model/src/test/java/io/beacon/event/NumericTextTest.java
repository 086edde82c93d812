package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class NumericTextTest {

    @Test
    void shouldReadJsonNumbersAsTheirValue() {
        assertEquals(3.0, NumericText.parse("3"));
        assertEquals(-3.5, NumericText.parse("-3.5"));
        assertEquals(100.0, NumericText.parse("1e2"));
        assertEquals(100.0, NumericText.parse("1E+2"));
        assertEquals(0.25, NumericText.parse("2.5e-1"));
        assertEquals(0.0, NumericText.parse("0"));
    }

    @Test
    void shouldRefuseALeadingPlusAndEveryOtherTextThatIsNoJsonNumber() {
        for (String text : List.of("+3", "+.5", "++3", " 3", "3 ", ".5", "5.", "007", "0x1A", "inf", "NaN", "Infinity", "1,5", "3d",
                "", "-", "1e", "1e400", "-1e400")) {
            assertNull(NumericText.parse(text), text);
        }
        assertNull(NumericText.parse(null));
        assertNull(NumericText.parse("1".repeat(NumericText.MAX_LENGTH + 1)));
    }
}

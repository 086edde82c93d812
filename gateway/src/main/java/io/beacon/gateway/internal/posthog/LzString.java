package io.beacon.gateway.internal.posthog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code LZString.decompressFromBase64}: the decoder for the {@code compression=lz64} bodies older
 * posthog-js versions send ({@code data=} + {@code LZString.compressToBase64(JSON)}).
 *
 * <p>A port of {@code _decompress} from pieroxy's lz-string 1.4/1.5 ({@code libs/lz-string.js},
 * MIT licence, https://github.com/pieroxy/lz-string), an LZW variant: the stream is read as
 * 6-bit groups of the base64 alphabet; a code of 0 or 1 introduces a new 8- or 16-bit character,
 * 2 ends the stream, anything else is a dictionary entry; the code width grows by one bit whenever
 * {@code enlargeIn} reaches zero. Strings are UTF-16 code units, exactly as in JavaScript.
 *
 * <p>Differences from the JavaScript, all on invalid input: a character outside the base64
 * alphabet, a truncated stream or an unknown dictionary code throws {@link MalformedException}
 * (JavaScript returns {@code null} or {@code ""}), and the output is bounded: decompressing more
 * than {@code maxChars} characters throws {@link TooLargeException}, the decompression-bomb guard.
 */
public final class LzString {
    private static final String KEY_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    private static final int[] BASE64_VALUE = new int[128];

    static {
        Arrays.fill(BASE64_VALUE, -1);
        for (int i = 0; i < KEY_BASE64.length(); i++) {
            BASE64_VALUE[KEY_BASE64.charAt(i)] = i;
        }
    }

    /** The input is not an lz-string stream. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The output would exceed the bound. */
    public static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    private LzString() {
    }

    /**
     * Decompresses {@code input} as {@code LZString.compressToBase64} produced it.
     *
     * @param maxChars the most characters the output may have
     */
    public static String decompressFromBase64(String input, long maxChars) throws MalformedException, TooLargeException {
        if (input == null || input.isEmpty()) {
            throw new MalformedException("the lz64 data is empty");
        }
        return new Decoder(input, maxChars).run();
    }

    /** One decompression: the bit reader state of the JavaScript {@code data} object. */
    private static final class Decoder {
        private final String input;
        private final long maxChars;
        private int val;
        private int position = 32; // resetValue for 6-bit base64 groups: bits are read from 2^5 down
        private int index = 1;
        private long produced;

        Decoder(String input, long maxChars) throws MalformedException {
            this.input = input;
            this.maxChars = maxChars;
            this.val = valueAt(0);
        }

        /** The 6-bit value of the character at {@code i}; 0 past the end, as JavaScript's NaN in bit operations. */
        private int valueAt(int i) throws MalformedException {
            if (i >= input.length()) {
                return 0;
            }
            char c = input.charAt(i);
            int v = c < 128 ? BASE64_VALUE[c] : -1;
            if (v < 0) {
                throw new MalformedException("the lz64 data has a character outside the base64 alphabet at " + i);
            }
            return v;
        }

        private int readBits(int count) throws MalformedException {
            int bits = 0;
            int maxpower = 1 << count;
            int power = 1;
            while (power != maxpower) {
                int resb = val & position;
                position >>= 1;
                if (position == 0) {
                    position = 32;
                    val = valueAt(index++);
                }
                bits |= (resb > 0 ? 1 : 0) * power;
                power <<= 1;
            }
            return bits;
        }

        String run() throws MalformedException, TooLargeException {
            List<String> dictionary = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                dictionary.add(String.valueOf((char) i)); // placeholders for codes 0, 1, 2
            }
            int enlargeIn = 4;
            int numBits = 3;
            StringBuilder result = new StringBuilder();
            String c;
            switch (readBits(2)) {
                case 0 -> c = String.valueOf((char) readBits(8));
                case 1 -> c = String.valueOf((char) readBits(16));
                case 2 -> {
                    return "";
                }
                default -> throw new MalformedException("the lz64 data does not start with a character code");
            }
            dictionary.add(c);
            String w = c;
            append(result, c);
            while (true) {
                if (index > input.length()) {
                    throw new MalformedException("the lz64 data is truncated");
                }
                int code = readBits(numBits);
                switch (code) {
                    case 0 -> {
                        dictionary.add(String.valueOf((char) readBits(8)));
                        code = dictionary.size() - 1;
                        enlargeIn--;
                    }
                    case 1 -> {
                        dictionary.add(String.valueOf((char) readBits(16)));
                        code = dictionary.size() - 1;
                        enlargeIn--;
                    }
                    case 2 -> {
                        return result.toString();
                    }
                    default -> {
                        // a dictionary reference
                    }
                }
                if (enlargeIn == 0) {
                    enlargeIn = 1 << numBits;
                    numBits++;
                }
                String entry;
                if (code < dictionary.size()) {
                    entry = dictionary.get(code);
                } else if (code == dictionary.size()) {
                    entry = w + w.charAt(0);
                } else {
                    throw new MalformedException("the lz64 data refers to an unknown dictionary entry");
                }
                append(result, entry);
                dictionary.add(w + entry.charAt(0));
                enlargeIn--;
                w = entry;
                if (enlargeIn == 0) {
                    enlargeIn = 1 << numBits;
                    numBits++;
                }
            }
        }

        private void append(StringBuilder result, String s) throws TooLargeException {
            produced += s.length();
            if (produced > maxChars) {
                throw new TooLargeException("the lz64 data decompresses to more than " + maxChars + " characters");
            }
            result.append(s);
        }
    }
}

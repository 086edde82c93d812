package io.beacon.control.destinations;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The outbound address policy of CDP destinations (issue 17 item 8): a destination must not make Beacon
 * call into its own network. Refused, unless {@code beacon.destinations.allow-private-addresses} is on:
 * loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7, the old site-local fec0::/10),
 * link-local (169.254/16, fe80::/10), unspecified ("this network" 0/8, ::), multicast (224/4, ff00::/8),
 * broadcast (255.255.255.255), CGNAT (100.64/10), and the IPv4-mapped ({@code ::ffff:a.b.c.d}),
 * IPv4-compatible ({@code ::a.b.c.d}) and NAT64 ({@code 64:ff9b::a.b.c.d}) IPv6 forms of those.
 *
 * <p>A host is allowed only when it resolves and <em>every</em> address it resolves to passes. The
 * control plane checks when a definition is written; the connectors' sender must check again at send
 * time with {@link #check} and connect only to the {@link AddressCheck#addresses addresses} it returned
 * (so a DNS answer changed after the definition was accepted cannot reach a private address). The
 * resolver is passed in, which keeps this class free of I/O: {@link #SYSTEM_RESOLVER} is the JVM's.
 */
public final class DestinationAddresses {
    /** The JVM's resolver ({@link InetAddress#getAllByName}); an unknown host resolves to nothing. */
    public static final Function<String, List<InetAddress>> SYSTEM_RESOLVER = DestinationAddresses::resolveWithJvm;

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean allowPrivate;
    private final Function<String, List<InetAddress>> resolver;

    /**
     * @param allowPrivate whether the refused ranges are allowed after all (dev stack, tests)
     * @param resolver     host name → its addresses (empty or an exception: it does not resolve)
     */
    public DestinationAddresses(boolean allowPrivate, Function<String, List<InetAddress>> resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The outcome for one host.
     *
     * @param host      the host as checked (IPv6 literals without brackets)
     * @param addresses what it resolved to (empty when it did not resolve)
     * @param refusal   why it is refused, empty when it is allowed
     */
    public record AddressCheck(String host, List<InetAddress> addresses, Optional<String> refusal) {
        public AddressCheck {
            addresses = List.copyOf(addresses);
        }

        public boolean allowed() {
            return refusal.isEmpty();
        }
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** Resolves {@code host} (a name, an IPv4 literal or an IPv6 literal with or without brackets) and checks every address. */
    public AddressCheck check(String host) {
        String h = host == null ? "" : host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            return new AddressCheck(h, List.of(), Optional.of("has no host"));
        }
        List<InetAddress> addresses;
        try {
            Optional<InetAddress> literal = literal(h);
            addresses = literal.isPresent() ? List.of(literal.get()) : resolver.apply(h);
        } catch (RuntimeException e) {
            addresses = List.of();
        }
        if (addresses == null || addresses.isEmpty()) {
            return new AddressCheck(h, List.of(), Optional.of("host '" + h + "' does not resolve"));
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                Optional<String> range = refusedRange(a);
                if (range.isPresent()) {
                    return new AddressCheck(h, addresses, Optional.of("host '" + h + "' resolves to " + a.getHostAddress()
                            + ", a " + range.get() + " address (allowed only with beacon.destinations.allow-private-addresses)"));
                }
            }
        }
        return new AddressCheck(h, addresses, Optional.empty());
    }

    /** The refused range {@code address} falls in ("loopback", "private", …), empty when it is a public address. */
    public static Optional<String> refusedRange(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Range(b);
        }
        if (address instanceof Inet6Address) {
            return ipv6Range(b);
        }
        return Optional.of("unknown kind of");
    }

    // ---- ranges --------------------------------------------------------------------------------

    private static Optional<String> ipv4Range(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) {
            return Optional.of("unspecified");
        }
        if (a0 == 127) {
            return Optional.of("loopback");
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            return Optional.of("private");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("link-local");
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return Optional.of("carrier-grade NAT");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("multicast");
        }
        if (Arrays.equals(b, new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255})) {
            return Optional.of("broadcast");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6Range(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        boolean mapped = firstTenZero && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0;
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
        if (compatible) {
            byte[] v4 = Arrays.copyOfRange(b, 12, 16);
            if (Arrays.equals(v4, new byte[4])) {
                return Optional.of("unspecified");
            }
            if (Arrays.equals(v4, new byte[] {0, 0, 0, 1})) {
                return Optional.of("loopback");
            }
            return ipv4Range(v4);
        }
        if (mapped || nat64) {
            return ipv4Range(Arrays.copyOfRange(b, 12, 16));
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of("private");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of("link-local");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of("private");
        }
        if (b0 == 0xff) {
            return Optional.of("multicast");
        }
        return Optional.empty();
    }

    // ---- literals and the JVM resolver ---------------------------------------------------------

    /** {@code host} as an address when it is an IP literal (no resolver involved), else empty. */
    private static Optional<InetAddress> literal(String host) {
        if (!host.contains(":")) {
            if (!IPV4_LITERAL.matcher(host).matches()) {
                return Optional.empty();
            }
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("not an IPv4 literal: " + host);
                }
            }
        }
        try {
            // a literal: getByName parses it without a lookup
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + host, e);
        }
    }

    private static List<InetAddress> resolveWithJvm(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}

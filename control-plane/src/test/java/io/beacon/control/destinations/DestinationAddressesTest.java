package io.beacon.control.destinations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationAddressesTest {
    private final List<String> lookups = new ArrayList<>();
    private final Map<String, List<InetAddress>> dns = Map.of(
            "hooks.example.com", List.of(ip("93.184.216.34"), ip("2606:2800:220:1:248:1893:25c8:1946")),
            "localhost", List.of(ip("127.0.0.1"), ip("::1")),
            "mixed.example.com", List.of(ip("93.184.216.34"), ip("10.1.2.3")),
            "metadata.internal", List.of(ip("169.254.169.254")));

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress raw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private DestinationAddresses policy(boolean allowPrivate) {
        return new DestinationAddresses(allowPrivate, host -> {
            lookups.add(host);
            return dns.getOrDefault(host, List.of());
        });
    }

    private static String range(String literal) {
        return DestinationAddresses.refusedRange(ip(literal)).orElse("public");
    }

    @Test
    void shouldNameTheRangeOfEveryRefusedIpv4Address() {
        assertEquals("loopback", range("127.0.0.1"));
        assertEquals("loopback", range("127.255.1.2"));
        assertEquals("private", range("10.0.0.1"));
        assertEquals("private", range("172.16.0.1"));
        assertEquals("private", range("172.31.255.255"));
        assertEquals("private", range("192.168.1.1"));
        assertEquals("link-local", range("169.254.169.254"));
        assertEquals("unspecified", range("0.0.0.0"));
        assertEquals("unspecified", range("0.1.2.3"));
        assertEquals("multicast", range("224.0.0.1"));
        assertEquals("multicast", range("239.255.255.250"));
        assertEquals("carrier-grade NAT", range("100.64.0.1"));
        assertEquals("carrier-grade NAT", range("100.127.255.254"));
        assertEquals("broadcast", range("255.255.255.255"));
    }

    @Test
    void shouldPassPublicIpv4AddressesAtTheEdgesOfTheRanges() {
        assertEquals("public", range("93.184.216.34"));
        assertEquals("public", range("172.15.255.255"));
        assertEquals("public", range("172.32.0.1"));
        assertEquals("public", range("100.63.255.255"));
        assertEquals("public", range("100.128.0.1"));
        assertEquals("public", range("192.169.0.1"));
        assertEquals("public", range("169.253.1.1"));
        assertEquals("public", range("11.0.0.1"));
        assertEquals("public", range("223.255.255.255"));
    }

    @Test
    void shouldNameTheRangeOfEveryRefusedIpv6Address() {
        assertEquals("loopback", range("::1"));
        assertEquals("unspecified", range("::"));
        assertEquals("private", range("fc00::1"));
        assertEquals("private", range("fd12:3456:789a::1"));
        assertEquals("link-local", range("fe80::1"));
        assertEquals("link-local", range("febf::1"));
        assertEquals("private", range("fec0::1"));
        assertEquals("multicast", range("ff02::1"));
        assertEquals("public", range("2606:2800:220:1:248:1893:25c8:1946"));
        assertEquals("public", range("fe00::1"));
        assertEquals("public", range("fbff::1"));
    }

    @Test
    void shouldCheckTheIpv4AddressInsideMappedCompatibleAndNat64Forms() {
        // ::ffff:a.b.c.d given as 16 raw bytes (the JVM turns the text form into an Inet4Address itself)
        assertEquals("loopback", DestinationAddresses.refusedRange(raw(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1)).orElseThrow());
        assertEquals("private", range("::ffff:10.0.0.1"));
        assertEquals("link-local", range("::ffff:169.254.169.254"));
        assertEquals("private", range("::192.168.0.1"));
        assertEquals("carrier-grade NAT", range("64:ff9b::100.64.0.1"));
        assertEquals("loopback", range("64:ff9b::127.0.0.1"));
        assertEquals("public", range("::ffff:93.184.216.34"));
        assertEquals("public", range("64:ff9b::93.184.216.34"));
    }

    @Test
    void shouldPassAHostWhoseEveryAddressIsPublic() {
        DestinationAddresses.AddressCheck c = policy(false).check("hooks.example.com");
        assertTrue(c.allowed(), c.refusal().orElse(""));
        assertEquals(2, c.addresses().size());
        assertEquals(List.of("hooks.example.com"), lookups);
    }

    @Test
    void shouldRefuseAHostWithOnePrivateAddressAmongPublicOnes() {
        DestinationAddresses.AddressCheck c = policy(false).check("mixed.example.com");
        assertFalse(c.allowed());
        assertTrue(c.refusal().orElseThrow().contains("10.1.2.3, a private address"), c.refusal().orElseThrow());
        assertTrue(policy(false).check("metadata.internal").refusal().orElseThrow().contains("link-local"));
    }

    @Test
    void shouldCheckLiteralsWithoutTheResolver() {
        DestinationAddresses p = policy(false);
        assertTrue(p.check("127.0.0.1").refusal().orElseThrow().contains("loopback"));
        assertTrue(p.check("[::1]").refusal().orElseThrow().contains("loopback"));
        assertTrue(p.check("[::ffff:127.0.0.1]").refusal().orElseThrow().contains("loopback"));
        assertTrue(p.check("[fe80::1]").refusal().orElseThrow().contains("link-local"));
        assertTrue(p.check("93.184.216.34").allowed());
        assertEquals(List.of(), lookups);
    }

    @Test
    void shouldRefuseAHostThatDoesNotResolve() {
        DestinationAddresses p = new DestinationAddresses(true, host -> {
            throw new IllegalStateException("dns down");
        });
        assertEquals(Optional.of("host 'nowhere.example' does not resolve"), p.check("nowhere.example").refusal());
        assertEquals(Optional.of("host 'unknown.example' does not resolve"), policy(true).check("unknown.example").refusal());
        assertEquals(Optional.of("has no host"), policy(true).check("").refusal());
    }

    @Test
    void shouldRefuseShortAndDecimalLoopbackFormsWithTheJvmResolver() {
        DestinationAddresses p = new DestinationAddresses(false, DestinationAddresses.SYSTEM_RESOLVER);
        for (String host : List.of("127.1", "2130706433", "0x7f000001", "localhost", "[::ffff:7f00:1]")) {
            assertFalse(p.check(host).allowed(), host + " → " + p.check(host));
        }
        assertTrue(new DestinationAddresses(true, DestinationAddresses.SYSTEM_RESOLVER).check("localhost").allowed());
    }

    @Test
    void shouldAllowPrivateAddressesWhenConfigured() {
        DestinationAddresses p = policy(true);
        assertTrue(p.allowsPrivate());
        assertTrue(p.check("localhost").allowed());
        assertTrue(p.check("127.0.0.1").allowed());
        assertTrue(p.check("[::1]").allowed());
        assertEquals(2, p.check("localhost").addresses().size());
        assertFalse(policy(false).check("localhost").allowed());
    }
}

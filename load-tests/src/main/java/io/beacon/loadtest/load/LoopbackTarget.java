package io.beacon.loadtest.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The only targets the load generator accepts: {@code http://} URLs whose host is a loopback
 * address (127.0.0.0/8, {@code ::1}, or a name resolving to nothing but those). Load is only ever
 * sent to a server running on this machine.
 */
public final class LoopbackTarget {
    private LoopbackTarget() {
    }

    /**
     * Returns {@code base} unchanged when it is a loopback HTTP URL.
     *
     * @throws IllegalArgumentException when it is not (or its host cannot be resolved)
     */
    public static URI require(URI base) {
        if (base == null || base.getScheme() == null || !base.getScheme().toLowerCase(Locale.ROOT).equals("http")) {
            throw new IllegalArgumentException("load target must be an http:// URL on loopback, got " + base);
        }
        String host = base.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("load target has no host: " + base);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("load target host does not resolve: " + host, e);
        }
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("refusing to send load to a non-loopback address: " + host
                        + " (" + a.getHostAddress() + "); only 127.0.0.0/8 and ::1 are allowed");
            }
        }
        return base;
    }
}

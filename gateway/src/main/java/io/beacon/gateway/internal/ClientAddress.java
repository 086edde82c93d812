package io.beacon.gateway.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client IP of a request: the first hop of {@code X-Forwarded-For} when the gateway is told to
 * trust it (it runs behind a proxy that sets it), else the connection's remote address, which
 * pekko-http exposes only with {@code pekko.http.server.remote-address-attribute = on}.
 */
public final class ClientAddress {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAddress.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ClientAddress() {
    }

    /** The address as text ({@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}), or {@code null} when unknown. */
    public static String of(HttpRequest request, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            Optional<String> forwarded = request.getHeader("X-Forwarded-For").map(HttpHeader::value)
                    .map(v -> v.split(",", 2)[0].trim()).flatMap(ClientAddress::literal);
            if (forwarded.isPresent()) {
                return forwarded.get();
            }
        }
        Optional<RemoteAddress> remote = request.getAttribute(AttributeKeys.remoteAddress);
        if (remote.isEmpty() && WARNED.compareAndSet(false, true)) {
            LOG.warn("client IPs are unknown: enable pekko.http.server.remote-address-attribute in the HTTP server settings");
        }
        return remote.flatMap(RemoteAddress::getAddress).map(InetAddress::getHostAddress).orElse(null);
    }

    /** Parses an IP literal only: a host name must never cause a DNS lookup here. */
    private static Optional<String> literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (v4) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getHostAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}

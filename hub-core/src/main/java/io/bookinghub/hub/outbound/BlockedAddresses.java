package io.bookinghub.hub.outbound;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The addresses a connector may not reach unless an operator allow-listed the destination: everything that
 * leads into the hub's own host or network rather than to a provider on the internet. IPv6 forms that embed an
 * IPv4 address (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) are judged by the IPv4 address inside, since they reach it.
 */
final class BlockedAddresses {
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private BlockedAddresses() {
    }

    /** Why {@code address} is refused ("loopback", "private network (10.0.0.0/8)", ...), or empty. */
    static Optional<String> reason(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ipv4(bytes) : ipv6(bytes);
    }

    private static Optional<String> ipv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return Optional.of("unspecified/this-network address (0.0.0.0/8)");
        }
        if (a0 == 127) {
            return Optional.of("loopback address (127.0.0.0/8)");
        }
        if (a0 == 10) {
            return Optional.of("private network address (10.0.0.0/8)");
        }
        if (a0 == 172 && a1 >= 16 && a1 <= 31) {
            return Optional.of("private network address (172.16.0.0/12)");
        }
        if (a0 == 192 && a1 == 168) {
            return Optional.of("private network address (192.168.0.0/16)");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("link-local address (169.254.0.0/16, cloud metadata)");
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return Optional.of("carrier-grade NAT address (100.64.0.0/10)");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            // Some clouds serve instance metadata here (192.0.0.192).
            return Optional.of("IETF protocol address (192.0.0.0/24)");
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return Optional.of("benchmarking network address (198.18.0.0/15)");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("multicast address (224.0.0.0/4)");
        }
        if (a0 >= 240) {
            return Optional.of("reserved or broadcast address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] b) {
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded(b, 12, "IPv4-mapped");
        }
        if (isZero(b, 0, 12)) {
            if (isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
                return Optional.of(b[15] == 0 ? "unspecified address (::)" : "loopback address (::1)");
            }
            return embedded(b, 12, "IPv4-compatible");
        }
        if (Arrays.equals(b, 0, 12, NAT64_PREFIX, 0, 12)) {
            return embedded(b, 12, "NAT64");
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0x20 && b1 == 0x02) {
            return embedded(b, 2, "6to4");
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of("unique local address (fc00::/7)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of("link-local address (fe80::/10)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of("site-local address (fec0::/10)");
        }
        if (b0 == 0xff) {
            return Optional.of("multicast address (ff00::/8)");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] b, int from, String form) {
        return ipv4(Arrays.copyOfRange(b, from, from + 4)).map(reason -> form + " form of a " + reason);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

package io.bookinghub.hub.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks a host name up. The hub uses the system resolver; tests inject answers (DNS rebinding) without DNS. */
@FunctionalInterface
public interface NameLookup {
    NameLookup SYSTEM = InetAddress::getAllByName;

    /** All addresses of {@code host} (an IP literal answers itself). */
    InetAddress[] lookup(String host) throws UnknownHostException;
}

package io.bookinghub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin port (tasks, metrics, health checks; no authentication) of a hub started from the shipped
 * {@code config.yml}, only its ports and storage overridden, listens on the loopback address only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPortBindingTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();

    static final DropwizardAppExtension<HubConfiguration> APP;

    static {
        try {
            APP = HubTestApp.extension(Path.of("..", "config.yml").toAbsolutePath().toString(), DB,
                    Files.createTempDirectory("plugins"), Files.createTempDirectory("var"), HubTestApp.environment(),
                    ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("security.adminToken", HubTestApp.ADMIN_TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final HubApi API = new HubApi(APP);

    @Test
    void adminPortAnswersOnLoopbackAndRefusesTheMachinesOtherAddress() throws IOException {
        assertThat(API.adminTarget("/ping").request().get().getStatus()).isEqualTo(200);

        Optional<InetAddress> other = nonLoopbackAddress();
        assumeTrue(other.isPresent(), "this machine has no non-loopback address to try");
        // The application port listens on every interface: it answers there, so the address is reachable and a
        // refusal on the admin port comes from the admin connector's bind address.
        connect(other.get(), APP.getLocalPort());
        assertThatThrownBy(() -> connect(other.get(), APP.getAdminPort())).isInstanceOf(ConnectException.class);
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
        }
    }

    /** An address of an interface that is up, not loopback and not link-local; IPv4 first. */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(AdminPortBindingTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
                .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}

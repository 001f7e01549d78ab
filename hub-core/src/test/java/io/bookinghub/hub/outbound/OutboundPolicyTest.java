package io.bookinghub.hub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundPolicyTest {
    private static final OutboundPolicy STRICT = new OutboundPolicy(List.of(), NameLookup.SYSTEM);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://127.0.0.1/           | loopback",
        "https://127.8.9.10:8443/     | loopback",
        "https://10.1.2.3/            | private network address (10.0.0.0/8)",
        "https://172.16.0.1/          | 172.16.0.0/12",
        "https://172.31.255.254/      | 172.16.0.0/12",
        "https://192.168.1.1/         | 192.168.0.0/16",
        "https://169.254.169.254/     | link-local",
        "https://100.64.0.1/          | carrier-grade NAT",
        "https://100.127.255.255/     | carrier-grade NAT",
        "https://0.0.0.0/             | unspecified",
        "https://224.0.0.1/           | multicast",
        "https://255.255.255.255/     | broadcast",
        "https://192.0.0.192/         | 192.0.0.0/24",
        "https://[::1]/               | loopback address (::1)",
        "https://[::]/                | unspecified address (::)",
        "https://[fc00::1]/           | unique local",
        "https://[fd12:3456::1]/      | unique local",
        "https://[fe80::1]/           | link-local address (fe80::/10)",
        "https://[ff02::1]/           | multicast",
        "https://[::ffff:127.0.0.1]/  | loopback",
        "https://[::ffff:a9fe:a9fe]/  | link-local",
        "https://[64:ff9b::10.0.0.1]/ | NAT64 form of a private network address",
        "https://[2002:c0a8:0101::1]/ | 6to4 form of a private network address",
        "https://2130706433/          | loopback",
        "https://localhost/           | hub's own host",
        "https://LOCALHOST./          | hub's own host",
        "https://api.localhost/       | hub's own host",
        "https://metadata.google.internal/ | hub's own host or network",
        "https://printer.local/       | hub's own host",
        "https://metadata/            | single-label",
    })
    void refusesLoopbackPrivateAndLocalDestinations(String uri, String reason) {
        assertThat(STRICT.refusal(URI.create(uri.trim()))).hasValueSatisfying(r -> assertThat(r).contains(reason.trim()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/", "https://[2606:4700:4700::1111]/", "https://100.128.0.1/",
        "https://172.32.0.1/", "https://[::ffff:8.8.8.8]/"})
    void allowsPublicAddresses(String uri) {
        assertThat(STRICT.refusal(URI.create(uri))).isEmpty();
    }

    @Test
    void mappedIpv6AddressesAreJudgedByTheIpv4Inside() throws UnknownHostException {
        // The JDK turns "::ffff:a.b.c.d" text into an Inet4Address; a resolver may still answer the IPv6 form.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress("mapped.example", mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        OutboundPolicy policy = new OutboundPolicy(List.of(), host -> new InetAddress[] {address});

        assertThat(policy.refusal(URI.create("https://mapped.example/")))
                .hasValueSatisfying(r -> assertThat(r).contains("IPv4-mapped form of a loopback"));
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIs() throws UnknownHostException {
        InetAddress[] answer = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")};
        OutboundPolicy policy = new OutboundPolicy(List.of(), lookup(Map.of("mixed.example", answer)));

        assertThat(policy.refusal(URI.create("https://mixed.example/")))
                .contains("mixed.example resolves to 10.0.0.7, a private network address (10.0.0.0/8)");
    }

    @Test
    void onlyHttpsUnlessAllowListed() throws UnknownHostException {
        InetAddress[] publicAddress = {InetAddress.getByName("93.184.215.14")};
        OutboundPolicy policy = new OutboundPolicy(List.of(AllowRule.parse("plain.example:8080")),
                lookup(Map.of("api.example", publicAddress, "plain.example", publicAddress)));

        assertThat(policy.refusal(URI.create("http://api.example/v1?token=secret")))
                .contains("only https is allowed (http://api.example:80)");
        assertThat(policy.refusal(URI.create("ftp://api.example/"))).hasValueSatisfying(r -> assertThat(r)
                .contains("only absolute https"));
        assertThat(policy.refusal(URI.create("/relative"))).isPresent();
        assertThat(policy.refusal(URI.create("https://api.example/"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://plain.example:8080/"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://plain.example:8081/"))).isPresent();
    }

    @Test
    void anUnresolvableHostIsRefusedBeforeAnythingIsSent() {
        OutboundPolicy policy = new OutboundPolicy(List.of(), host -> {
            throw new UnknownHostException(host);
        });
        assertThat(policy.refusal(URI.create("https://nowhere.example/"))).contains("nowhere.example does not resolve");
    }

    @Test
    void allowListedDestinationsMayBeHttpAndPrivate() {
        OutboundPolicy policy = new OutboundPolicy(List.of(AllowRule.parse("127.0.0.1:*"),
                AllowRule.parse("localhost:8089"), AllowRule.parse("[::1]:*")), NameLookup.SYSTEM);

        assertThat(policy.refusal(URI.create("http://127.0.0.1:1234/"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://localhost:8089/"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://[::1]:99/"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://localhost:8090/"))).isPresent();
        assertThat(policy.refusal(URI.create("https://localhost/"))).isPresent();
        assertThat(policy.refusal(URI.create("https://127.0.0.2/"))).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:*, 127.0.0.1, 1, true",
        "127.0.0.1:*, 127.0.0.10, 1, false",
        "localhost:8089, localhost, 8089, true",
        "LocalHost:8089, localhost, 8089, true",
        "localhost:8089, localhost, 8088, false",
        "*.example.test:443, api.example.test, 443, true",
        "*.example.test:443, a.b.example.test, 443, true",
        "*.example.test:443, example.test, 443, false",
        "*.example.test:443, evilexample.test, 443, false",
        "*.example.test:443, api.example.test.evil.com, 443, false",
        "[::1]:*, ::1, 8080, true",
    })
    void allowRulesMatchHostAndPort(String pattern, String host, int port, boolean matches) {
        assertThat(AllowRule.parse(pattern).matches(host, port)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", ":80", "*:80", "host:0", "host:65536", "host:http",
        "*.:80", "a b:80", "http://host:80", "[zz]:80", "host/path:80"})
    void badAllowPatternsAreRejected(String pattern) {
        assertThatThrownBy(() -> AllowRule.parse(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(pattern);
    }

    @Test
    void unknownPortOnlyMatchesAnyPortRules() throws UnknownHostException {
        OutboundPolicy policy = new OutboundPolicy(List.of(AllowRule.parse("localhost:8089")), NameLookup.SYSTEM);
        assertThatThrownBy(() -> policy.addresses("localhost", -1)).isInstanceOf(RefusedDestinationException.class);
        assertThat(policy.addresses("localhost", 8089)).isNotEmpty();
    }

    static NameLookup lookup(Map<String, InetAddress[]> answers) {
        return host -> Optional.ofNullable(answers.get(host)).orElseThrow(() -> new UnknownHostException(host));
    }
}

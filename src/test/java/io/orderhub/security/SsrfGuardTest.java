package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Outgoing calls reach public addresses only, unless a setting says otherwise; checked when saved and when called. */
class SsrfGuardTest {

    private final SsrfGuard guard = new SsrfGuard(false, List.of());

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            127.0.0.1                  | loopback
            127.255.255.254            | loopback
            ::1                        | loopback
            0.0.0.0                    | any-local
            0.1.2.3                    | any-local
            ::                         | any-local
            10.0.0.1                   | private
            172.16.0.1                 | private
            172.31.255.255             | private
            192.168.1.1                | private
            fec0::1                    | private
            fc00::1                    | private
            fd12:3456::1               | private
            100.64.0.1                 | carrier-grade NAT
            100.127.255.255            | carrier-grade NAT
            100.100.100.200            | carrier-grade NAT
            169.254.169.254            | link-local or metadata
            169.254.0.1                | link-local or metadata
            fe80::1                    | link-local or metadata
            febf::1                    | link-local or metadata
            fd00:ec2::254              | metadata
            224.0.0.1                  | multicast
            239.255.255.250            | multicast
            ff02::1                    | multicast
            255.255.255.255            | broadcast
            240.0.0.1                  | reserved
            198.18.0.1                 | benchmarking
            198.19.255.255             | benchmarking
            ::ffff:127.0.0.1           | loopback
            ::ffff:10.0.0.1            | private
            ::ffff:169.254.169.254     | link-local or metadata
            ::127.0.0.1                | loopback
            ::10.0.0.1                 | private
            64:ff9b::7f00:1            | loopback
            64:ff9b::169.254.169.254   | link-local or metadata
            64:ff9b::192.168.0.1       | private
            2002:a9fe:a9fe::1          | link-local or metadata
            """)
    void refusesEveryNonPublicAddressClass(String literal, String addressClass) throws Exception {
        String host = literal.contains(":") ? "[" + literal + "]" : literal;

        assertThat(guard.problemWith("https://" + host + "/orders", false))
                .as("configuring https://%s/orders", host)
                .hasValueSatisfying(problem -> assertThat(problem).contains(addressClass + " address"));
        assertThatThrownBy(() -> guard.resolve(literal))
                .as("resolving %s at call time", literal)
                .isInstanceOf(SsrfGuard.Refused.class)
                .hasMessageContaining(addressClass);
        assertThatThrownBy(() -> guard.checkAddress(InetAddress.getByName(literal)))
                .isInstanceOf(SsrfGuard.Refused.class)
                .hasMessageContaining(addressClass);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "172.32.0.1",
                "100.128.0.1",
                "169.253.255.255",
                "198.20.0.1",
                "223.255.255.255",
                "2606:4700::1111",
                "2a00:1450:4001:80b::200e",
                "::ffff:93.184.216.34",
                "64:ff9b::93.184.216.34",
                "2002:5db8:d822::1"
            })
    void allowsPublicAddresses(String literal) throws Exception {
        String host = literal.contains(":") ? "[" + literal + "]" : literal;

        assertThat(guard.problemWith("https://" + host + ":8443/api?x=1", false))
                .isEmpty();
        assertThat(guard.resolve(literal)).containsExactly(InetAddress.getByName(literal));
        assertThatCode(() -> guard.checkAddress(InetAddress.getByName(literal))).doesNotThrowAnyException();
    }

    @Test
    void refusesLoopbackWrittenAsOneDecimalNumber() {
        // Java 17 reads it as 127.0.0.1; a JDK that stopped doing so would find it malformed: refused either way
        assertThat(guard.problemWith("https://2130706433/", false)).isPresent();
        assertThatThrownBy(() -> guard.resolve("2130706433"))
                .isInstanceOfAny(SsrfGuard.Refused.class, UnknownHostException.class);
    }

    @Test
    void refusesIpv6LiteralWithZoneId() {
        assertThat(guard.problemWith("https://[fe80::1%25eth0]/", false))
                .hasValueSatisfying(problem -> assertThat(problem).contains("link-local or metadata"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            https://localhost/                   | must not name a loopback host (localhost)
            https://LOCALHOST./                  | must not name a loopback host (LOCALHOST.)
            https://oms.localhost:8443/          | must not name a loopback host (oms.localhost)
            http://metadata/computeMetadata/v1/  | must not name a metadata host (metadata)
            https://metadata.google.internal/    | must not name a metadata host (metadata.google.internal)
            """)
    void refusesHostNamesOfTheHubItselfAndOfMetadataServices(String url, String problem) {
        assertThat(guard.problemWith(url, true)).hasValue(problem);
    }

    @Test
    void refusesLocalhostAtCallTime() {
        assertThatThrownBy(() -> guard.resolve("localhost"))
                .isInstanceOf(SsrfGuard.Refused.class)
                .hasMessage("localhost is a loopback host name");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            http://93.184.216.34/hook             | must be an https URL
            ftp://93.184.216.34/hook              | must be an https URL
            /relative/hook                        | must be an absolute URL
            93.184.216.34/hook                    | must be an absolute URL
            https:opaque                          | must have a host
            https:///no-host                      | must have a host
            https://bad_host.example.com/         | must have a valid host name
            https://user:secret@93.184.216.34/    | must not carry user info
            https://user@bad_host.example.com/    | must not carry user info
            https://93.184.216.34/hook#part       | must not carry a fragment
            https://93.184.216.34/a b             | must be a valid URL
            https://999.1.1.1/                    | must have a valid host name
            """)
    void refusesUrlsThatAreNotPlainHttpsTargets(String url, String problem) {
        assertThat(guard.problemWith(url, false)).hasValue(problem);
    }

    @Test
    void refusesMissingUrl() {
        assertThat(guard.problemWith(null, false)).hasValue("must be set");
        assertThat(guard.problemWith(" ", false)).hasValue("must be set");
    }

    @Test
    void acceptsHttpOnlyWhenAllowed() {
        assertThat(guard.problemWith("http://93.184.216.34/hook", true)).isEmpty();
        assertThat(guard.problemWith("HTTP://93.184.216.34/hook", true)).isEmpty();
        assertThat(guard.problemWith("ftp://93.184.216.34/hook", true)).hasValue("must be an http or https URL");
    }

    @Test
    void acceptsUnresolvableNameWhenConfiguredButNotWhenCalled() {
        // .invalid never resolves (RFC 6761): stands for a name whose DNS is down or not set up yet
        assertThat(guard.problemWith("https://oms.no-such-host.invalid/api", false))
                .isEmpty();
        assertThatThrownBy(() -> guard.resolve("oms.no-such-host.invalid")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void allowListExemptsItsAddressesAndBlocksOnly() throws Exception {
        SsrfGuard vpc = new SsrfGuard(false, List.of("10.1.2.3", "192.168.0.0/16", " fd12::/16 ", "127.0.0.1/32"));

        assertThat(vpc.problemWith("https://10.1.2.3/oms", false)).isEmpty();
        assertThat(vpc.problemWith("https://192.168.77.1/oms", false)).isEmpty();
        assertThat(vpc.problemWith("https://[fd12:1::1]/oms", false)).isEmpty();
        assertThat(vpc.problemWith("http://127.0.0.1:8080/oms", true)).isEmpty();
        assertThat(vpc.resolve("10.1.2.3")).containsExactly(InetAddress.getByName("10.1.2.3"));
        assertThat(vpc.resolve("::ffff:10.1.2.3")).containsExactly(InetAddress.getByName("10.1.2.3"));
        assertThat(vpc.resolve("64:ff9b::10.1.2.3")).hasSize(1);

        assertThat(vpc.problemWith("https://10.1.2.4/oms", false))
                .hasValue("must not name a private address (10.1.2.4)");
        assertThat(vpc.problemWith("https://[fd13::1]/oms", false))
                .hasValueSatisfying(p -> assertThat(p).contains("private"));
        assertThat(vpc.problemWith("https://127.0.0.2/oms", false))
                .hasValue("must not name a loopback address (127.0.0.2)");
        assertThat(vpc.problemWith("https://169.254.169.254/", false)).isPresent();
        // names are judged by name, whatever they resolve to
        assertThat(vpc.problemWith("https://localhost/", false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "oms.example.com",
                "localhost",
                "10.0.0.0/33",
                "::1/129",
                "10.1.2.3/8",
                "fd12::1/16",
                "10.0.0/8",
                "10.0.0.256",
                "10.0.0.0/",
                "10.0.0.0/x",
                "10.0.0.0/-1",
                "[::1]",
                ""
            })
    void refusesAllowListEntriesThatAreNotAddressesOrBlocks(String entry) {
        assertThatThrownBy(() -> new SsrfGuard(false, List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
    }

    @Test
    void allowPrivateLiftsTheCheck() throws Exception {
        SsrfGuard anything = new SsrfGuard(true, null);

        for (String url : List.of(
                "https://127.0.0.1/",
                "https://10.0.0.1/",
                "https://169.254.169.254/latest/meta-data/",
                "https://[::1]/",
                "https://[fd00:ec2::254]/",
                "https://localhost/",
                "https://metadata.google.internal/")) {
            assertThat(anything.problemWith(url, false)).as(url).isEmpty();
        }
        assertThat(anything.resolve("localhost"))
                .allSatisfy(a -> assertThat(a.isLoopbackAddress()).isTrue());
        assertThat(anything.resolve("169.254.169.254")).hasSize(1);
        // the URL rules still hold
        assertThat(anything.problemWith("http://127.0.0.1/", false)).hasValue("must be an https URL");
        assertThat(anything.problemWith("https://u:p@127.0.0.1/", false)).hasValue("must not carry user info");
    }

    // ---------------------------------------------------------------------------------------------------------
    // plugged into Apache HttpClient 5 as its DnsResolver

    @Test
    void httpClientChecksLiteralIpTargetsBeforeConnecting() throws Exception {
        AtomicInteger requests = startServer(null);

        try (CloseableHttpClient client = clientWith(guard)) {
            assertThatThrownBy(() -> client.execute(new HttpGet(serverUrl("/")), r -> r.getCode()))
                    .isInstanceOf(SsrfGuard.Refused.class)
                    .hasMessage("127.0.0.1 is a loopback address");
        }
        assertThat(requests).as("requests that reached the server").hasValue(0);
    }

    @Test
    void httpClientChecksEveryRedirectHop() throws Exception {
        // the first hop is allowed; it redirects to another loopback address that is not
        AtomicInteger requests = startServer("http://127.0.0.2:1/internal");
        SsrfGuard testGuard = new SsrfGuard(false, List.of("127.0.0.1/32"));

        try (CloseableHttpClient client = clientWith(testGuard)) {
            assertThatThrownBy(() -> client.execute(new HttpGet(serverUrl("/hook")), r -> r.getCode()))
                    .isInstanceOf(SsrfGuard.Refused.class)
                    .hasMessage("127.0.0.2 is a loopback address");
        }
        assertThat(requests).as("requests that reached the allowed first hop").hasValue(1);
    }

    @Test
    void httpClientConnectsToAllowedTargets() throws Exception {
        AtomicInteger requests = startServer(null);
        SsrfGuard testGuard = new SsrfGuard(false, List.of("127.0.0.1/32"));

        try (CloseableHttpClient client = clientWith(testGuard)) {
            int status = client.execute(new HttpGet(serverUrl("/")), r -> r.getCode());
            assertThat(status).isEqualTo(204);
        }
        assertThat(requests).hasValue(1);
    }

    private static CloseableHttpClient clientWith(SsrfGuard resolver) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .build())
                .build();
    }

    /** A server on 127.0.0.1 that answers 204, or 302 to {@code redirectTo}; returns its request count. */
    private AtomicInteger startServer(String redirectTo) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (redirectTo != null) {
                exchange.getResponseHeaders().add("Location", redirectTo);
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
        return requests;
    }

    private String serverUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }
}

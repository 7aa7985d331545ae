package io.orderhub.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Keeps outgoing calls to configured URLs (an OMS {@code proxyBaseUrl}, an OAuth2 {@code authUrl}, webhook targets)
 * away from the hub's own network: loopback, private, link-local and cloud metadata addresses are refused unless
 * {@code allowPrivate} is set or the address is on the allow-list.
 *
 * <p>Two checks, because a URL that was fine when it was saved may point elsewhere later (DNS rebinding):
 * <ul>
 *   <li>{@link #problemWith} when a URL is configured, to answer 400 with a reason. A name that does not resolve
 *       is accepted there: DNS may be down or the target not deployed yet, and the name is checked again at call
 *       time;</li>
 *   <li>{@link #resolve} when a connection is opened. As the HTTP client's {@link DnsResolver} it returns the very
 *       addresses the client then connects to, so there is no window between check and connect, and it runs again
 *       for every redirect hop because each new host needs a new connection.</li>
 * </ul>
 *
 * <p>With an HTTP proxy in between the client resolves only the proxy's name; the target's address is then the
 * proxy's business, and only {@link #problemWith} sees it.
 */
public final class SsrfGuard implements DnsResolver {

    /** A target on a forbidden address; the caller decides whether that is a 400, a failed delivery or a 502. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private static final Pattern IPV4_LITERAL =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    /** Digits and dots only: never a DNS name (no top-level domain is numeric), so Java reads it as IPv4. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+");

    private final boolean allowPrivate;
    private final List<Cidr> allowList;

    /**
     * @param allowPrivate lift the check altogether (development, tests, a hub whose targets all live inside)
     * @param allowList addresses or CIDR blocks (IPv4 or IPv6) that may be called although they are not public,
     *     e.g. an OMS inside the VPC; an entry that is not one fails here, so that a typo stops the start
     */
    public SsrfGuard(boolean allowPrivate, List<String> allowList) {
        this.allowPrivate = allowPrivate;
        List<Cidr> parsed = new ArrayList<>();
        if (allowList != null) {
            for (String entry : allowList) {
                parsed.add(Cidr.parse(entry));
            }
        }
        this.allowList = List.copyOf(parsed);
    }

    // ---------------------------------------------------------------------------------------------------------
    // configuration time

    /** Why {@code url} may not be configured as a call target, or empty when it may. */
    public Optional<String> problemWith(String url, boolean allowHttp) {
        if (url == null || url.isBlank()) {
            return Optional.of("must be set");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Optional.of("must be a valid URL");
        }
        if (!uri.isAbsolute()) {
            return Optional.of("must be an absolute URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        String authority = uri.getRawAuthority();
        // a user info that java.net.URI cannot parse leaves getRawUserInfo() null, so look at the authority too
        if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
            return Optional.of("must not carry user info");
        }
        if (uri.getHost() == null) {
            return Optional.of(authority == null ? "must have a host" : "must have a valid host name");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not carry a fragment");
        }

        String host = uri.getHost();
        if (host.startsWith("[")) {
            return problemWithIpv6Literal(host);
        }
        String name = normalizedName(host);
        String nameClass = specialNameClass(name);
        if (nameClass != null && !allowPrivate) {
            return Optional.of("must not name " + withArticle(nameClass) + " host (" + host + ")");
        }
        boolean literal = NUMERIC_HOST.matcher(host).matches();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            // a numeric host Java cannot read is a malformed address, not a name that may resolve later
            return literal ? Optional.of("must have a valid host name") : Optional.empty();
        }
        for (InetAddress address : addresses) {
            String addressClass = forbiddenClass(address);
            if (addressClass != null && literal) {
                return Optional.of("must not name " + anAddress(addressClass) + " (" + address.getHostAddress() + ")");
            }
            if (addressClass != null) {
                return Optional.of("must not resolve to " + anAddress(addressClass) + " (" + host + " is "
                        + address.getHostAddress() + ")");
            }
        }
        return Optional.empty();
    }

    private Optional<String> problemWithIpv6Literal(String bracketed) {
        // java.net.URI keeps the zone id percent-encoded ("%25eth0"); the zone does not change the address class
        String literal = bracketed.substring(1, bracketed.length() - 1);
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(literal); // no DNS query: the text is an IPv6 literal
        } catch (UnknownHostException e) {
            return Optional.of("must have a valid host name");
        }
        String addressClass = forbiddenClass(address);
        return addressClass == null
                ? Optional.empty()
                : Optional.of("must not name " + anAddress(addressClass) + " (" + address.getHostAddress() + ")");
    }

    // ---------------------------------------------------------------------------------------------------------
    // call time

    /**
     * All addresses of {@code host}, returned only when every one of them may be called; the HTTP client passes
     * literal IP hosts through here as well.
     *
     * @throws Refused when the name or any of its addresses is forbidden (one bad address is enough: the client
     *     would try the next address when the first does not answer)
     */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (host == null || host.isBlank()) {
            throw new UnknownHostException("no host");
        }
        String nameClass = specialNameClass(normalizedName(host));
        if (nameClass != null && !allowPrivate) {
            throw new Refused(host + " is " + withArticle(nameClass) + " host name");
        }
        InetAddress[] addresses = InetAddress.getAllByName(host);
        boolean literal = host.startsWith("[")
                || host.contains(":")
                || NUMERIC_HOST.matcher(host).matches();
        for (InetAddress address : addresses) {
            String addressClass = forbiddenClass(address);
            if (addressClass != null && literal) {
                throw new Refused(host + " is " + anAddress(addressClass));
            }
            if (addressClass != null) {
                throw new Refused(
                        host + " resolves to " + anAddress(addressClass) + " (" + address.getHostAddress() + ")");
            }
        }
        return addresses;
    }

    /** Only for Kerberos/SPNEGO principal names; no connection is made to what it returns. */
    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

    /**
     * Checks one address, for code that connects to an {@link InetAddress} it already has (HttpClient only skips
     * {@link #resolve} for an {@code HttpHost} built with an explicit address).
     *
     * @throws Refused when the address may not be called
     */
    public void checkAddress(InetAddress address) {
        String addressClass = forbiddenClass(address);
        if (addressClass != null) {
            throw new Refused(address.getHostAddress() + " is " + anAddress(addressClass));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // rules

    /** The class of {@code address} when it may not be called, or null when it may. */
    private String forbiddenClass(InetAddress address) {
        if (allowPrivate || isAllowListed(address)) {
            return null;
        }
        byte[] b = address.getAddress();
        return b.length == 4 ? ipv4Class(b) : ipv6Class(b);
    }

    private boolean isAllowListed(InetAddress address) {
        for (Cidr cidr : allowList) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String ipv4Class(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return "any-local";
        }
        if (first == 127) {
            return "loopback";
        }
        if (first == 10 || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168)) {
            return "private";
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return "carrier-grade NAT"; // also where Alibaba Cloud keeps its metadata service (100.100.100.200)
        }
        if (first == 169 && second == 254) {
            return "link-local or metadata";
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return "benchmarking";
        }
        if (first >= 224 && first <= 239) {
            return "multicast";
        }
        if (first == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255) {
            return "broadcast";
        }
        if (first >= 240) {
            return "reserved"; // 240/4 is not routed on the internet; a target there is a mistake or a trick
        }
        return null;
    }

    private String ipv6Class(byte[] b) {
        if (isZero(b, 0, 12)) {
            if (isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
                return b[15] == 0 ? "any-local" : "loopback";
            }
            return ipv4Class(b, 12); // the deprecated IPv4-compatible form ::a.b.c.d
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xff) {
            return "multicast";
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return "link-local or metadata";
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return "private"; // the deprecated site-local fec0::/10
        }
        if ((first & 0xfe) == 0xfc) {
            return isAwsMetadata(b) ? "metadata" : "private";
        }
        // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d and 6to4 2002:aabb:ccdd:: all reach
        // the embedded IPv4 address, so they are as forbidden as it is
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ipv4Class(b, 12);
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
            return ipv4Class(b, 12);
        }
        if (first == 0x20 && second == 0x02) {
            return ipv4Class(b, 2);
        }
        return null;
    }

    /** The class of the IPv4 address embedded at {@code offset}, judged with the allow-list like any other. */
    private String ipv4Class(byte[] b, int offset) {
        byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        try {
            return forbiddenClass(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** fd00:ec2::254, the IPv6 address of the EC2 instance metadata service. */
    private static boolean isAwsMetadata(byte[] b) {
        return (b[0] & 0xff) == 0xfd
                && b[1] == 0
                && (b[2] & 0xff) == 0x0e
                && (b[3] & 0xff) == 0xc2
                && isZero(b, 4, 14)
                && b[14] == 0x02
                && (b[15] & 0xff) == 0x54;
    }

    /** Whether bytes {@code from} (inclusive) to {@code to} (exclusive) are all zero. */
    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Names that mean the hub's own host or a metadata service wherever they are resolved. */
    private static String specialNameClass(String name) {
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return "loopback";
        }
        if (name.equals("metadata") || name.equals("metadata.google.internal")) {
            return "metadata";
        }
        return null;
    }

    /** Lower case and without the root dot, so that "LOCALHOST." is recognised as "localhost". */
    private static String normalizedName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** "a private address", "an any-local address". */
    private static String anAddress(String addressClass) {
        return withArticle(addressClass) + " address";
    }

    private static String withArticle(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    // ---------------------------------------------------------------------------------------------------------
    // allow-list

    /** An allow-list entry: an address block, or a single address as a full-length block. */
    private record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String entry) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException("SSRF allow-list entry '" + entry + "' is empty");
            }
            String text = entry.strip();
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            // checked before InetAddress sees it, which would look a host name up in DNS
            if (!IPV4_LITERAL.matcher(addressText).matches()
                    && !IPV6_LITERAL.matcher(addressText).matches()) {
                throw new IllegalArgumentException("SSRF allow-list entry '" + entry
                        + "' is not an IP address or CIDR block (names are not allowed)");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(addressText).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("SSRF allow-list entry '" + entry + "' is not a valid IP address");
            }
            int bits = network.length * 8;
            int prefixLength = bits;
            if (slash >= 0) {
                String prefixText = text.substring(slash + 1);
                if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > bits) {
                    throw new IllegalArgumentException(
                            "SSRF allow-list entry '" + entry + "' needs a prefix length from 0 to " + bits);
                }
                prefixLength = Integer.parseInt(prefixText);
            }
            Cidr cidr = new Cidr(network, prefixLength);
            if (!cidr.matches(network, true)) {
                throw new IllegalArgumentException("SSRF allow-list entry '" + entry
                        + "' has bits set after its prefix; write the block's first address");
            }
            return cidr;
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            return candidate.length == network.length && matches(candidate, false);
        }

        /**
         * Whether {@code candidate} is in the block; with {@code exact}, whether it also has no bits after the
         * prefix (i.e. is the block's first address).
         */
        private boolean matches(byte[] candidate, boolean exact) {
            for (int bit = 0; bit < network.length * 8; bit++) {
                int mask = 0x80 >>> (bit % 8);
                boolean candidateBit = (candidate[bit / 8] & mask) != 0;
                if (bit < prefixLength) {
                    if (candidateBit != ((network[bit / 8] & mask) != 0)) {
                        return false;
                    }
                } else if (exact && candidateBit) {
                    return false;
                }
            }
            return true;
        }
    }
}

package io.orderhub.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The body conventions of api.md for {@code /api} and {@code /admin}: over {@code hub.http.max-body-size} is 413, a
 * body that is not JSON (XML for POSLogs) is 415. The body is read here once, so a route never sees a partial one.
 */
public class HttpConventionsFilter extends OncePerRequestFilter {

    private static final org.springframework.web.util.UrlPathHelper PATHS =
            new org.springframework.web.util.UrlPathHelper();

    private final long maxBodyBytes;

    public HttpConventionsFilter(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = PATHS.getPathWithinApplication(request);
        return !(uri.startsWith("/api/") || uri.startsWith("/admin/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (!("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            Problems.write(request, response, tooLarge());
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            Problems.write(request, response, tooLarge());
            return;
        }
        if (body.length > 0 && !acceptableContentType(request)) {
            Problems.write(
                    request,
                    response,
                    new ProblemException(
                            415,
                            "unsupported-media-type",
                            "Unsupported media type",
                            "Content-Type must be " + expectedMediaType(request) + ", got "
                                    + (request.getContentType() == null ? "none" : request.getContentType())));
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private ProblemException tooLarge() {
        return new ProblemException(
                413, "payload-too-large", "Payload too large", "The body exceeds " + maxBodyBytes + " bytes");
    }

    /** Only a POS's POSLog is XML (api.md); a webhook that happens to be called "poslogs" is JSON like the rest. */
    private static final java.util.regex.Pattern POSLOG_PATH =
            java.util.regex.Pattern.compile("^/api/v1/business-units/[^/]+/poslogs$");

    private static boolean wantsXml(HttpServletRequest request) {
        return POSLOG_PATH.matcher(PATHS.getPathWithinApplication(request)).matches();
    }

    private static String expectedMediaType(HttpServletRequest request) {
        return wantsXml(request) ? "application/xml" : "application/json";
    }

    private static boolean acceptableContentType(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (wantsXml(request)) {
            return mime.equals("application/xml") || mime.equals("text/xml");
        }
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
    }

    /** A request whose body has already been read into memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already buffered");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}

package io.orderhub.proxy;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The JSONata mappings of config/mappings (docs/decisions.md "Proxy mode"), applied by the proxy routes. A mapping
 * is compiled once and compiled again only when its file changes (modification time or size), so the integration
 * team's edit takes effect on the next request without a restart, as before, while a request no longer reads and
 * compiles the file: that was a tenth of a proxied GET's CPU (JFR, docs/performance.md), which camel-jsonata spends
 * on every exchange whatever its contentCache says.
 *
 * <p>One compiled mapping serves every thread: each evaluation gets a frame of its own, and the library keeps its
 * evaluation state per thread (see compile for the one thread where it does not). OmsMappingsTest maps on many threads
 * at once against a mapping compiled per call.
 */
@Component("omsMappings")
public class OmsMappings {

    /**
     * As camel-jsonata converts its input: plain Jackson, so numbers reach JSONata as Integer, Long or Double (the
     * hub's own mapper reads decimals as BigDecimal, which JSONata's arithmetic does not take).
     */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final Path dir;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(FileTime modified, long size, Jsonata expression) {}

    public OmsMappings(@Value("${hub.mappings-dir}") Path dir) {
        this.dir = dir;
    }

    /** {@code input} mapped by the mapping in file {@code name} of the mappings directory. */
    public JsonNode map(String name, JsonNode input) {
        Jsonata expression = expression(name);
        Object result = expression.evaluate(plain(input), expression.createFrame());
        return PLAIN.valueToTree(result);
    }

    /**
     * {@code input} as JSONata takes it, read from its text as camel-jsonata did: a tree converted directly would keep
     * the hub's BigDecimals.
     */
    private static Object plain(JsonNode input) {
        try {
            return PLAIN.readValue(PLAIN.writeValueAsBytes(input), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Jsonata expression(String name) {
        Path file = dir.resolve(name);
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping " + file, e);
        }
        Compiled known = compiled.get(name);
        if (known != null && known.modified().equals(now.lastModifiedTime()) && known.size() == now.size()) {
            return known.expression();
        }
        // Two threads may compile a changed file at once; both results are the same mapping, the last one stays.
        // The attributes are those read before the content: a write in between is seen again next time.
        Compiled fresh;
        try {
            fresh = new Compiled(
                    now.lastModifiedTime(), now.size(), compile(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping " + file, e);
        }
        compiled.put(name, fresh);
        return fresh.expression();
    }

    /**
     * Compiles on a thread of its own, which then ends. The library makes a new expression the evaluation state of
     * the thread that built it (a static ThreadLocal), and an evaluation on that thread then extends the
     * expression's own frame: each request's top-level variables were seen by the next, and every lookup walked one
     * frame more per request (measured: a proxied GET 30 times slower after a few thousand). Threads that did not
     * build it evaluate in state of their own and leave the expression as it is.
     */
    private static Jsonata compile(String text) {
        FutureTask<Jsonata> task = new FutureTask<>(() -> Jsonata.jsonata(text));
        Thread compiler = new Thread(task, "jsonata-compile");
        compiler.setDaemon(true);
        compiler.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling a mapping", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}

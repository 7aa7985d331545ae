package io.orderhub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged hub jar running as its own JVM, as in production: started, killed with SIGKILL, restarted. */
public final class HubProcess implements AutoCloseable {

    /** A fixed key for secrets at rest: tests only (base64 of 32 bytes). */
    static final String TEST_ENCRYPTION_KEY = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=";

    private final List<String> args;
    private final Path log;
    private final int port;
    private Process process;

    private HubProcess(int port, List<String> args, Path log) {
        this.port = port;
        this.args = args;
        this.log = log;
    }

    /** A hub on a free port with the test operator token and bootstrap tenant, plus {@code extraArgs}. */
    public static HubProcess of(String name, List<String> extraArgs) throws IOException {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--hub.admin-token=" + Hub.ADMIN_TOKEN,
                "--hub.ops.password=" + Hub.OPS_PASSWORD,
                "--hub.bootstrap.tenant=" + Hub.BOOTSTRAP_TENANT,
                "--hub.bootstrap.api-key=" + Hub.BOOTSTRAP_KEY,
                "--hub.events.retry=200ms,400ms",
                "--hub.events.outage-pause=500ms",
                // required with an external database; the same for every instance, as in production
                "--hub.encryption-key=" + TEST_ENCRYPTION_KEY));
        args.addAll(extraArgs);
        Path logDir = Path.of("target", "it-logs");
        Files.createDirectories(logDir);
        return new HubProcess(port, args, logDir.resolve(name + ".log"));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public Hub client() {
        return new Hub(port);
    }

    /**
     * Starts the jar from the project root (it reads config/ and routes/ there) and waits until it is healthy (a start
     * takes 20-30 s here; the wait is generous for a machine that is busy with other work).
     */
    public void start() throws IOException {
        launch();
        awaitHealthy(Duration.ofSeconds(240));
    }

    /** Starts the jar and waits for it to exit on its own; returns the exit code. */
    public int startExpectingExit(Duration timeout) throws IOException, InterruptedException {
        launch();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("hub still running after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, and how long the hub took to stop. */
    public Duration terminate() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void launch() throws IOException {
        String jar = System.getProperty("hub.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("packaged hub jar not found (system property hub.jar=" + jar
                    + "); these tests run in `./mvnw verify` after `package`");
        }
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar));
        command.addAll(args);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("hub exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(250);
        }
        throw new AssertionError("hub not healthy within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no clean stop of anything the hub started. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM and wait for the graceful stop. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package io.orderhub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Google's official Pub/Sub emulator, a real server, found the way a user's machine offers it: the jar named by
 * {@code HUB_PUBSUB_EMULATOR_JAR}, the Google Cloud SDK's emulator jar where the SDK is installed, or Testcontainers'
 * emulator image where a Docker engine runs. When none is there, {@link #require()} skips the test saying how to
 * provide one, except under {@code CI=true}, where it fails: in this project's CI the Pub/Sub tests must run.
 */
public final class PubSubEmulator implements AutoCloseable {

    private static final String HOW =
            "set HUB_PUBSUB_EMULATOR_JAR to cloud-pubsub-emulator-*-all.jar, install the Google Cloud SDK with its"
                    + " pubsub-emulator component, or run a Docker engine (Testcontainers)";

    private static PubSubEmulator shared;

    private final Process process;
    private final AutoCloseable container;
    private final String endpoint;

    private PubSubEmulator(Process process, AutoCloseable container, String endpoint) {
        this.process = process;
        this.container = container;
        this.endpoint = endpoint;
    }

    /** The emulator of this JVM, started on first use and stopped when the JVM ends; skips or fails as above. */
    public static synchronized PubSubEmulator require() {
        if (shared == null) {
            PubSubEmulator started = start();
            if (started == null) {
                String message = "no Pub/Sub emulator available: " + HOW;
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError(message + " (CI=true: the Pub/Sub tests must run)");
                }
                Assumptions.abort(message);
            }
            shared = started;
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stopQuietly));
        }
        return shared;
    }

    /**
     * The emulator jar, for a test that starts processes of its own (as {@code scripts/local-topology} does); skipped
     * or failed like {@link #require()} when there is none.
     */
    public static Path requireJar() {
        Optional<Path> jar = findJar();
        if (jar.isEmpty()) {
            String message = "no Pub/Sub emulator jar: set HUB_PUBSUB_EMULATOR_JAR or install the Google Cloud SDK's"
                    + " pubsub-emulator component";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the Pub/Sub tests must run)");
            }
            Assumptions.abort(message);
        }
        return jar.get();
    }

    /** {@code host:port} for {@code hub.pubsub.endpoint}. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            if (container != null) {
                container.close();
            }
        } catch (Exception e) {
            // stopping at the end of a test run: nothing left to do about it
        }
    }

    private static PubSubEmulator start() {
        Optional<Path> jar = findJar();
        if (jar.isPresent()) {
            return startJar(jar.get());
        }
        return startContainer();
    }

    static Optional<Path> findJar() {
        List<Path> candidates = new ArrayList<>();
        String named = System.getenv("HUB_PUBSUB_EMULATOR_JAR");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!Files.isRegularFile(p)) {
                throw new AssertionError("HUB_PUBSUB_EMULATOR_JAR names " + named + ", which is not a file");
            }
            return Optional.of(p);
        }
        List<String> sdkRoots = new ArrayList<>();
        if (System.getenv("CLOUDSDK_ROOT_DIR") != null) {
            sdkRoots.add(System.getenv("CLOUDSDK_ROOT_DIR"));
        }
        sdkRoots.addAll(List.of(
                "/usr/lib/google-cloud-sdk",
                "/usr/share/google-cloud-sdk",
                "/opt/google-cloud-sdk",
                System.getProperty("user.home") + "/google-cloud-sdk"));
        for (String root : sdkRoots) {
            Path lib = Path.of(root, "platform", "pubsub-emulator", "lib");
            if (Files.isDirectory(lib)) {
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "cloud-pubsub-emulator-*-all.jar")) {
                    jars.forEach(candidates::add);
                } catch (IOException e) {
                    // an unreadable SDK directory is as good as none
                }
            }
        }
        return candidates.stream().sorted().reduce((a, b) -> b);
    }

    private static PubSubEmulator startJar(Path jar) {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("pubsub-emulator-", ".log");
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            jar.toString(),
                            "--host=localhost",
                            "--port=" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new AssertionError("Pub/Sub emulator exited at start: " + Files.readString(log));
                }
                if (Files.readString(log).contains("Server started")) {
                    return new PubSubEmulator(p, null, "localhost:" + port);
                }
                Thread.sleep(100);
            }
            p.destroyForcibly();
            throw new AssertionError("Pub/Sub emulator not started in 60 s: " + Files.readString(log));
        } catch (IOException e) {
            throw new AssertionError("could not start the Pub/Sub emulator " + jar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static PubSubEmulator startContainer() {
        try {
            if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
        org.testcontainers.containers.PubSubEmulatorContainer container =
                new org.testcontainers.containers.PubSubEmulatorContainer(
                        org.testcontainers.utility.DockerImageName.parse(
                                "gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators"));
        container.start();
        return new PubSubEmulator(null, container, container.getEmulatorEndpoint());
    }
}

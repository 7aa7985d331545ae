package io.orderhub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server is durable, private, keeps its data and survives a hub that was killed. */
class EmbeddedPostgresServerTest {

    private static final long READY_TIMEOUT_SECONDS = 180;

    @TempDir
    Path hubDir;

    private final List<EmbeddedPostgresServer> servers = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void leaveNoServerRunning() throws Exception {
        for (EmbeddedPostgresServer server : servers) {
            server.close();
        }
        for (Process process : processes) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // a postmaster a failed test left behind (e.g. the orphan) must not outlive the test
        Path pidFile = hubDir.resolve("postgres").resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            if (EmbeddedPostgresServer.isRunning(pid)) {
                new ProcessBuilder("kill", "-s", "INT", Long.toString(pid))
                        .start()
                        .waitFor();
                for (int i = 0; i < 300 && EmbeddedPostgresServer.isRunning(pid); i++) {
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void isDurableAndPrivate() throws Exception {
        EmbeddedPostgresServer server = start(hubDir.resolve("postgres"));

        assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/orderhub");
        assertThat(server.user()).isEqualTo("postgres");
        try (Connection c = connect(server, server.password())) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "full_page_writes")).isEqualTo("on");
            assertThat(show(c, "listen_addresses")).isIn("127.0.0.1", "localhost");
            assertThat(query(c, "SELECT current_database() || ' ' || current_user"))
                    .isEqualTo("orderhub postgres");
            // every rule, the Unix socket one included, asks for a SCRAM password
            assertThat(query(c, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"))
                    .isEqualTo("scram-sha-256");
            assertThat(query(c, "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'local'"))
                    .isEqualTo("1");
        }

        assertThatThrownBy(() -> connect(server, server.password() + "x").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                        .as("SQLSTATE of %s", e.getMessage())
                        .isEqualTo("28P01")) // invalid_password
                .hasMessageContaining("password authentication failed for user \"postgres\"");
        assertThatThrownBy(() -> connect(server, null).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("requested SCRAM-based authentication, but no password was provided");

        Path passwordFile = hubDir.resolve("postgres.password");
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password());
        assertThat(server.password()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                .isEqualTo("rw-------");
    }

    @Test
    void keepsDataAcrossRestarts() throws Exception {
        Path dir = hubDir.resolve("postgres");
        EmbeddedPostgresServer first = start(dir);
        String systemId;
        try (Connection c = connect(first, first.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO kept VALUES (1, 'still here')");
            systemId = query(c, "SELECT system_identifier::text FROM pg_control_system()");
        }
        first.close();
        first.close(); // idempotent

        EmbeddedPostgresServer second = start(dir);
        assertThat(second.password()).isEqualTo(first.password());
        try (Connection c = connect(second, second.password())) {
            assertThat(query(c, "SELECT note FROM kept WHERE id = 1")).isEqualTo("still here");
            assertThat(query(c, "SELECT system_identifier::text FROM pg_control_system()"))
                    .as("same cluster, not a new initdb")
                    .isEqualTo(systemId);
        }
    }

    @Test
    void recoversFromAnOrphanedServerAfterTheHubIsKilled() throws Exception {
        Path dir = hubDir.resolve("postgres");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process hub = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        processes.add(hub);
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            output.add(line);
                        }
                    } catch (IOException e) {
                        output.add("(reading the child's output failed: " + e + ")");
                    }
                },
                "child-hub-output");
        reader.setDaemon(true);
        reader.start();

        long orphanPid = awaitReady(hub, output);
        hub.destroyForcibly(); // SIGKILL: no shutdown hook runs, postgres is left running
        assertThat(hub.waitFor(30, TimeUnit.SECONDS))
                .as("the child hub JVM dies on SIGKILL")
                .isTrue();
        assertThat(EmbeddedPostgresServer.isRunning(orphanPid))
                .as("the postmaster (pid %d) outlives the killed hub", orphanPid)
                .isTrue();

        EmbeddedPostgresServer server = start(dir);
        assertThat(EmbeddedPostgresServer.isRunning(orphanPid))
                .as("the orphan (pid %d) was stopped", orphanPid)
                .isFalse();
        assertThat(server.serverPid()).isNotEqualTo(orphanPid);
        try (Connection c = connect(server, server.password())) {
            assertThat(query(c, "SELECT note FROM committed_before_kill WHERE id = 1"))
                    .isEqualTo("kept");
        }
    }

    @Test
    void ignoresAStalePidFile() throws Exception {
        Path dir = hubDir.resolve("postgres");
        EmbeddedPostgresServer first = start(dir);
        List<String> pidFile = Files.readAllLines(dir.resolve("postmaster.pid"));
        first.close();

        // as after a power cut: the file is still there, the process it names is gone
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        pidFile.set(0, Long.toString(gone.pid()));
        Files.write(dir.resolve("postmaster.pid"), pidFile);

        EmbeddedPostgresServer second = start(dir);
        try (Connection c = connect(second, second.password())) {
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void ignoresAPidFileWhosePidNowBelongsToAnotherProgram() throws Exception {
        Path dir = hubDir.resolve("postgres");
        EmbeddedPostgresServer first = start(dir);
        List<String> pidFile = Files.readAllLines(dir.resolve("postmaster.pid"));
        first.close();

        // as after a container restart: the pid was handed to some other live process
        Process other = new ProcessBuilder("sleep", "120").start();
        processes.add(other);
        pidFile.set(0, Long.toString(other.pid()));
        Files.write(dir.resolve("postmaster.pid"), pidFile);

        EmbeddedPostgresServer second = start(dir);
        assertThat(other.isAlive()).as("the unrelated process is left alone").isTrue();
        try (Connection c = connect(second, second.password())) {
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
        }
    }

    private EmbeddedPostgresServer start(Path dir) throws IOException {
        long t0 = System.nanoTime();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir);
        servers.add(server);
        System.out.printf("embedded PostgreSQL started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return server;
    }

    private static long awaitReady(Process hub, List<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                if (line.startsWith("READY ")) {
                    return Long.parseLong(line.substring("READY ".length()).strip());
                }
            }
            if (!hub.isAlive()) {
                throw new AssertionError("the child hub exited with " + hub.exitValue() + " before READY:\n"
                        + String.join("\n", output));
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "the child hub printed no READY within " + READY_TIMEOUT_SECONDS + " s:\n" + String.join("\n", output));
    }

    private static Connection connect(EmbeddedPostgresServer server, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", server.user());
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(server.jdbcUrl(), props);
    }

    private static String show(Connection c, String setting) throws SQLException {
        return query(c, "SHOW " + setting);
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    /** A hub in its own JVM: starts the server, commits a row, says READY and waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
            try (Connection c = connect(server, server.password());
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE committed_before_kill (id int PRIMARY KEY, note text)");
                s.execute("INSERT INTO committed_before_kill VALUES (1, 'kept')"); // autocommit
            }
            System.out.println("READY " + server.serverPid());
            System.out.flush();
            // normally killed by the test; if the test JVM dies instead, stdin closes and we stop cleanly
            while (System.in.read() >= 0) {
                // keep waiting
            }
            server.close();
        }
    }
}

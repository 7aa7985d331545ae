package io.orderhub.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, password-protected PostgreSQL server in a child process, for the hub's embedded default.
 *
 * <p>Built on zonky's {@code EmbeddedPostgres}, whose defaults are made for throw-away test databases; this class
 * overrides them so that the cluster is a real, kept one:
 * <ul>
 *   <li>{@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are on (zonky passes {@code -F},
 *       i.e. fsync off, and {@code synchronous_commit=off});</li>
 *   <li>the server listens on 127.0.0.1 only and every connection, Unix sockets included, needs the superuser's
 *       SCRAM password, which is generated once and kept in {@code <dataDir>.password} next to the cluster
 *       (mode 600) — zonky would init with {@code trust};</li>
 *   <li>an existing cluster is never initialised again and never deleted;</li>
 *   <li>a server left running by a hub that was killed (SIGKILL leaves the postgres child alive) is found through
 *       {@code postmaster.pid}, shut down cleanly and replaced.</li>
 * </ul>
 *
 * <p>Files next to the cluster directory: {@code <name>.password}, {@code <name>.lock} (held while a server of
 * this process uses the cluster) and {@code postgres-binaries/} (zonky's extracted PostgreSQL).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private static final String SUPERUSER = "postgres";
    private static final String DATABASE = "orderhub";
    private static final String HOST = "127.0.0.1";
    private static final String PID_FILE = "postmaster.pid";
    private static final String BINARIES_DIR = "postgres-binaries";

    /** Generous on purpose: after a crash PostgreSQL replays WAL before it accepts connections. */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(2);
    /** A fast shutdown still writes a checkpoint, which takes a while with many dirty buffers. */
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private static final Duration IMMEDIATE_SHUTDOWN_WAIT = Duration.ofSeconds(15);

    private static final int PASSWORD_LENGTH = 40;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Written at every start, so the cluster stays private even if someone loosened it by hand. */
    private static final String PG_HBA =
            """
            # Written by Order Hub at every start of its embedded PostgreSQL; edits are overwritten.
            # Every connection needs the superuser's password (SCRAM); the server listens on loopback only.
            # TYPE  DATABASE  USER  ADDRESS        METHOD
            local   all       all                  scram-sha-256
            host    all       all   127.0.0.1/32   scram-sha-256
            host    all       all   ::1/128        scram-sha-256
            """;

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    /** Lock files of the clusters this JVM serves. */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path dataDir;
    private final EmbeddedPostgres postgres;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String password;
    private final int port;
    private final long serverPid;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(
            Path dataDir,
            EmbeddedPostgres postgres,
            Path lockFile,
            FileChannel lockChannel,
            FileLock lock,
            String password,
            long serverPid) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.password = password;
        this.port = postgres.getPort();
        this.serverPid = serverPid;
    }

    /** Starts the server on the cluster in {@code dataDir} (created on first use) on a free loopback port. */
    public static EmbeddedPostgresServer start(Path dataDir) throws IOException {
        return start(dataDir, 0);
    }

    /** Starts the server on the cluster in {@code dataDir} (created on first use) on {@code port}; 0 = any free port. */
    public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("the data directory needs a parent for its password file: " + dir);
        }
        refuseZonkysScratchDirectory(parent);
        Files.createDirectories(parent);

        // Our own lock, not zonky's epg-lock inside the cluster: initdb wants an empty directory, and we must
        // know that no live hub owns the cluster before we treat a running postmaster as an orphan and stop it.
        // fcntl locks die with the JVM and are not inherited by postgres, so a killed hub leaves none behind.
        Path lockFile = sibling(dir, ".lock");
        // Checked before opening a channel: closing a second channel on the file would drop the first one's lock.
        if (!LOCKED_IN_THIS_JVM.add(lockFile)) {
            throw new IOException("The embedded PostgreSQL cluster " + dir + " is already in use in this process");
        }
        FileChannel lockChannel;
        FileLock lock;
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (IOException | RuntimeException e) {
                lockChannel.close();
                throw e;
            }
            if (lock == null) {
                lockChannel.close();
                throw new IOException("The embedded PostgreSQL cluster " + dir + " is in use by another process ("
                        + lockFile + " is locked)");
            }
        } catch (IOException | RuntimeException e) {
            LOCKED_IN_THIS_JVM.remove(lockFile);
            throw e;
        }

        EmbeddedPostgres postgres = null;
        boolean launched = false;
        try {
            stopServerLeftRunning(dir, "probably left behind by a hub that was killed");
            Path passwordFile = sibling(dir, ".password");
            String password = loadOrCreatePassword(dir, passwordFile);
            launched = true;
            postgres = launch(dir, port, password, passwordFile);
            long pid = readPid(dir).orElseThrow(() -> new IOException("PostgreSQL started but wrote no " + PID_FILE));
            createDatabaseIfMissing(postgres.getPort(), password);
            log.info("Embedded PostgreSQL running on {}:{} (pid {}), data in {}", HOST, postgres.getPort(), pid, dir);
            return new EmbeddedPostgresServer(dir, postgres, lockFile, lockChannel, lock, password, pid);
        } catch (IOException | RuntimeException | Error e) {
            if (postgres != null) {
                closeQuietly(postgres);
            }
            if (launched) {
                try {
                    // e.g. zonky gave up waiting while postgres was still replaying WAL
                    stopServerLeftRunning(dir, "its start failed");
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            releaseQuietly(lockFile, lock, lockChannel);
            throw e;
        }
    }

    /** JDBC URL of the hub's database: {@code jdbc:postgresql://127.0.0.1:<port>/orderhub}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    /** The superuser the hub connects as: {@code postgres}. */
    public String user() {
        return SUPERUSER;
    }

    /** The superuser's password (kept in {@code <dataDir>.password}); never log it. */
    public String password() {
        return password;
    }

    /** The loopback TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** The postmaster's process id, for benchmarks that report its memory apart from the hub's. */
    public long serverPid() {
        return serverPid;
    }

    /** Stops the server with a fast shutdown (clients disconnected, checkpoint written); idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // pg_ctl stop -m fast -t 5; zonky only logs if that times out, so we wait for the process ourselves
            closeQuietly(postgres);
            stopPostmaster(serverPid, "closing");
            log.info("Embedded PostgreSQL stopped (data in {})", dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL (pid " + serverPid + ")", e);
        } finally {
            releaseQuietly(lockFile, lock, lockChannel);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // start

    private static EmbeddedPostgres launch(Path dir, int port, String password, Path passwordFile) throws IOException {
        Path binaries = dir.resolveSibling(BINARIES_DIR);
        createPrivateDirectory(binaries);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                // true would delete the cluster on close
                .setCleanDataDirectory(false)
                // Not zonky's default ${java.io.tmpdir}/embedded-pg: that is made world-writable, may be noexec,
                // and tmp cleaners may delete binaries under a server that runs for months.
                .setOverrideWorkingDirectory(binaries.toFile())
                .setPort(port) // 0: zonky picks a free port
                .setPGStartupWait(STARTUP_WAIT)
                // zonky always passes -F (fsync=off) before these -c options; the later option wins
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", HOST)
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("unix_socket_permissions", "0700")
                // zonky hands its "locale config" to initdb as --key=value after its own "-A trust", and initdb
                // takes the last -A/--auth: the cluster is created with SCRAM and the password from the file,
                // so it is never open to password-less connections, not even during the first start.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                // zonky's readiness check connects as postgres to the postgres database with these properties
                .setConnectConfig("password", password)
                // runs after initdb and before the server starts, on every start
                .setDataDirectoryCustomizer(cluster -> writePgHba(cluster.toPath()));
        try {
            return builder.start();
        } catch (IOException e) {
            // zonky retries a rejected password until its startup wait is over and then only says it gave up
            if (hasSqlState(e, "28P01")) {
                throw new IOException(
                        "The embedded PostgreSQL in " + dir + " rejects the password in " + passwordFile
                                + "; restore the password file that belongs to this cluster",
                        e);
            }
            throw e;
        } catch (ExceptionInInitializerError e) {
            // zonky reports a failed extraction of its binaries (full disk, ...) this way
            throw new IOException("Could not unpack the PostgreSQL binaries into " + binaries, e.getCause());
        } finally {
            // zonky adds write permission for everyone to its working directory; take it back
            try {
                setPermissions(binaries, OWNER_ONLY_DIR);
            } catch (IOException e) {
                log.warn("Could not restrict {} to its owner: {}", binaries, e.toString());
            }
        }
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void writePgHba(Path cluster) {
        try {
            Path hba = cluster.resolve("pg_hba.conf");
            if (!Files.exists(hba) || !Files.readString(hba).equals(PG_HBA)) {
                writeDurably(hba, PG_HBA);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write pg_hba.conf in " + cluster, e);
        }
    }

    private static void createDatabaseIfMissing(int port, String password) throws IOException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        String url = "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, props)) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + SUPERUSER);
                }
                log.info("Created database {} in the embedded PostgreSQL", DATABASE);
            }
        } catch (SQLException e) {
            throw new IOException("Could not create the " + DATABASE + " database: " + e.getMessage(), e);
        }
    }

    /**
     * zonky deletes any unlocked directory with an {@code epg-lock} file older than ten minutes in its scratch
     * directory at every start, so a cluster there would be wiped by the next start after a stop.
     */
    private static void refuseZonkysScratchDirectory(Path parent) throws IOException {
        String tmp =
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString();
        Path scratch = Path.of(System.getProperty("ot.epg.working-dir", tmp))
                .toAbsolutePath()
                .normalize();
        if (parent.equals(scratch)) {
            throw new IOException("Refusing to keep the embedded PostgreSQL cluster in " + scratch
                    + ": zonky deletes old directories there");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // password

    private static String loadOrCreatePassword(Path dir, Path passwordFile) throws IOException {
        if (Files.exists(passwordFile)) {
            String password =
                    Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IOException("The embedded PostgreSQL password file is empty: " + passwordFile);
            }
            Optional<Set<PosixFilePermission>> perms = permissions(passwordFile);
            if (perms.isPresent() && !perms.get().equals(OWNER_ONLY_FILE)) {
                log.warn("{} was readable by others; restricting it to its owner", passwordFile);
                setPermissions(passwordFile, OWNER_ONLY_FILE);
            }
            return password;
        }
        if (Files.exists(dir.resolve("postgresql.conf"))) {
            // a new password would not match the one in the cluster, and nothing could connect
            throw new IOException("The embedded PostgreSQL cluster " + dir + " exists but its password file "
                    + passwordFile + " is missing; restore that file");
        }
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        // initdb reads the first line of this file, so it must be in place before the first start
        writeDurably(passwordFile, password + "\n");
        return password.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // orphans and stopping

    /**
     * Makes sure no postmaster holds {@code dir}. A live postgres whose working directory is the cluster (the
     * postmaster chdirs there) is one a killed hub left behind: it is shut down cleanly. A pid file naming a dead
     * process is left for PostgreSQL, which replaces it itself and, unlike us, also checks that no old backend
     * still uses the shared memory it names. A pid file naming a live process that is not our postmaster (pid
     * reused, e.g. after a container restart) is deleted, because PostgreSQL would take it for a running server.
     */
    private static void stopServerLeftRunning(Path dir, String probableCause) throws IOException {
        OptionalLong recorded = readPid(dir);
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.getAsLong();
        if (!isRunning(pid)) {
            log.info("Ignoring a stale {} in {}: process {} is gone", PID_FILE, dir, pid);
            return;
        }
        if (!isPostmasterOf(pid, dir)) {
            log.warn("Removing a stale {} in {}: process {} is not its PostgreSQL server", PID_FILE, dir, pid);
            Files.deleteIfExists(dir.resolve(PID_FILE));
            return;
        }
        log.warn("A PostgreSQL server (pid {}) is still running on {} ({}); shutting it down", pid, dir, probableCause);
        stopPostmaster(pid, "left running");
    }

    /**
     * Fast shutdown (SIGINT): sessions are ended, committed work is already in the WAL, a checkpoint is written.
     * Only if that does not finish in time, an immediate shutdown (SIGQUIT) as the last resort: no checkpoint, so
     * the next start replays the WAL, but with fsync on nothing committed is lost. Never SIGKILL: that would leave
     * the backends running without their postmaster.
     */
    private static void stopPostmaster(long pid, String why) throws IOException {
        if (!isRunning(pid)) {
            return;
        }
        signal(pid, "INT");
        if (awaitExit(pid, FAST_SHUTDOWN_WAIT)) {
            return;
        }
        log.warn(
                "PostgreSQL (pid {}, {}) did not finish a fast shutdown in {} s; forcing an immediate shutdown",
                pid,
                why,
                FAST_SHUTDOWN_WAIT.toSeconds());
        signal(pid, "QUIT");
        if (!awaitExit(pid, IMMEDIATE_SHUTDOWN_WAIT)) {
            throw new IOException("PostgreSQL (pid " + pid + ", " + why + ") is still running after SIGINT and "
                    + "SIGQUIT; stop it by hand");
        }
    }

    /** Java can only send SIGTERM (a "smart" shutdown that waits for clients) or SIGKILL, so use kill(1). */
    private static void signal(long pid, String signal) throws IOException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            } else if (kill.exitValue() != 0 && isRunning(pid)) {
                throw new IOException("kill -s " + signal + " " + pid + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while signalling PostgreSQL", e);
        }
    }

    private static boolean awaitExit(long pid, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for PostgreSQL (pid " + pid + ") to stop", e);
            }
        }
        return true;
    }

    /** Whether {@code pid} is a live process; a zombie (an orphan that exited but was not reaped yet) is not. */
    static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            int end = s.lastIndexOf(')'); // the command name in parentheses may contain spaces
            return end < 0 || end + 2 >= s.length() || s.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); // no /proc (macOS) or gone
        }
    }

    /** Whether {@code pid} is a postgres process serving {@code dir} (where /proc tells; else by name only). */
    private static boolean isPostmasterOf(long pid, Path dir) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return false;
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        boolean named = handle.get()
                .info()
                .command()
                .map(c -> isPostgresName(Path.of(c).getFileName().toString()))
                .orElse(false);
        if (!named) {
            try {
                named = isPostgresName(Files.readString(proc.resolve("comm")).strip());
            } catch (IOException | RuntimeException e) {
                named = false;
            }
        }
        if (!named) {
            return false;
        }
        try {
            return Files.readSymbolicLink(proc.resolve("cwd")).equals(dir.toRealPath());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true; // cannot tell which cluster it serves; a postgres with our pid file's pid is most likely it
        }
    }

    private static boolean isPostgresName(String name) {
        return name.equals("postgres") || name.equals("postgres.exe") || name.equals("postgres (deleted)");
    }

    /** The postmaster's pid from the first line of {@code postmaster.pid}, if the file is there and readable. */
    private static OptionalLong readPid(Path dir) throws IOException {
        Path file = dir.resolve(PID_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return OptionalLong.empty();
        }
        try {
            long pid = lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).strip());
            return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // half-written; PostgreSQL treats it as stale too
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.warn("zonky could not stop PostgreSQL: {}", e.toString());
        }
    }

    private static void releaseQuietly(Path lockFile, FileLock lock, FileChannel channel) {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("Could not release the embedded PostgreSQL lock: {}", e.toString());
        } finally {
            LOCKED_IN_THIS_JVM.remove(lockFile);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // files

    private static Path sibling(Path dir, String suffix) {
        return dir.resolveSibling(dir.getFileName() + suffix);
    }

    /** Writes a file only its owner can read, so that a crash leaves either the old or the whole new content. */
    private static void writeDurably(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = Files.getFileStore(target.getParent()).supportsFileAttributeView(PosixFileAttributeView.class);
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        try (FileChannel ch =
                FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel parent = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            parent.force(true); // make the rename itself durable
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open or sync a directory; the file's own content is synced
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        try {
            if (Files.getFileStore(dir.getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // kept from an earlier start
        }
    }

    private static Optional<Set<PosixFilePermission>> permissions(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        return view == null
                ? Optional.empty()
                : Optional.of(view.readAttributes().permissions());
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> perms) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, perms);
        }
    }
}

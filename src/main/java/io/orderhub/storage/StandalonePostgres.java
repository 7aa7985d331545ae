package io.orderhub.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The hub's embedded PostgreSQL on its own, as a process that several hub instances share: what
 * {@code scripts/local-topology} runs where no PostgreSQL is installed. Arguments: the data directory and the port.
 * Writes {@code connection.properties} (JDBC URL, user, password) into the data directory and runs until stopped.
 *
 * <p>{@code java -cp order-hub.jar -Dloader.main=io.orderhub.storage.StandalonePostgres
 * org.springframework.boot.loader.launch.PropertiesLauncher <data-dir> <port>}
 */
public final class StandalonePostgres {

    private StandalonePostgres() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StandalonePostgres <data-dir> <port>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("pg"), Integer.parseInt(args[1]));
        Path properties = dir.resolve("connection.properties");
        // written aside and moved into place, so a script waiting for the file never reads half of it
        Path partial = dir.resolve("connection.properties.partial");
        Files.writeString(
                partial,
                "url=" + server.jdbcUrl() + "\nuser=" + server.user() + "\npassword=" + server.password() + "\n");
        Files.move(partial, properties, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("PostgreSQL ready at " + server.jdbcUrl() + " (connection in " + properties + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}

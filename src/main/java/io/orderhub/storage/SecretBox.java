package io.orderhub.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts the secrets the hub keeps in its database (proxy passwords, OAuth2 client secrets, webhook keys) with
 * AES-256-GCM under {@code hub.encryption-key}.
 *
 * <p>A sealed value is {@code v1:} + base64(12-byte random nonce ‖ ciphertext ‖ 16-byte tag). The caller's
 * context (e.g. {@code proxy-config/tenant-a}) is authenticated but not stored, so a value copied into another
 * tenant's row does not open. The version prefix leaves room for a new key or algorithm later.
 */
public final class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

    /** The generated key's file in {@code hub.data-dir}, next to the embedded cluster. */
    static final String KEY_FILE = "encryption.key";

    private static final String VERSION = "v1:";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    /** Random 96-bit nonces are safe for far more values than a hub will ever seal under one key. */
    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;
    private static final String CANNOT_DECRYPT =
            "cannot decrypt a sealed secret: it was sealed under another key or context, or it is damaged";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    /**
     * The box for the configured key; without one, the key generated in {@code dataDir} (embedded database only).
     *
     * @param base64Key {@code hub.encryption-key}, may be null or blank
     * @param externalDatabase whether {@code hub.db.url} names an external PostgreSQL
     * @param dataDir {@code hub.data-dir}, where a generated key is kept
     * @throws IllegalStateException when the key is malformed, missing with an external database, or the key file
     *     cannot be read or written
     */
    public static SecretBox fromSettings(String base64Key, boolean externalDatabase, Path dataDir) {
        if (base64Key != null && !base64Key.isBlank()) {
            return new SecretBox(decodeConfiguredKey(base64Key));
        }
        if (externalDatabase) {
            // a key generated on one instance's disk would leave every other instance unable to read the secrets
            throw new IllegalStateException("hub.encryption-key is required with an external database "
                    + "(hub.db.url): every hub instance sharing it must use the same key. "
                    + "Generate one with `openssl rand -base64 32`");
        }
        if (dataDir == null) {
            throw new IllegalStateException("hub.data-dir is needed to keep the generated encryption key");
        }
        try {
            return new SecretBox(loadOrCreateKey(dataDir.resolve(KEY_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the encryption key in " + dataDir, e);
        }
    }

    /** {@code plaintext} encrypted for {@code context}; two seals of the same value differ. */
    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] aad = contextBytes(context);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = ByteBuffer.allocate(NONCE_BYTES + ciphertext.length)
                    .put(nonce)
                    .put(ciphertext)
                    .array();
            return VERSION + Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * The plaintext of a value {@link #seal sealed} for {@code context}.
     *
     * @throws IllegalStateException saying only that it cannot be decrypted: which check failed would help an
     *     attacker, and the value itself must not reach a log
     */
    public String open(String sealed, String context) {
        byte[] aad = contextBytes(context);
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException(CANNOT_DECRYPT);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(CANNOT_DECRYPT);
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException(CANNOT_DECRYPT);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(aad);
            byte[] plaintext = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plaintext, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(CANNOT_DECRYPT);
        }
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM]";
    }

    private static byte[] contextBytes(String context) {
        if (context == null || context.isEmpty()) {
            // without a context a sealed value would open in any row
            throw new IllegalArgumentException("a context is required");
        }
        return context.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------
    // keys

    /** Messages name the setting and what is wrong, never the text: it may be a real key with a typo. */
    private static byte[] decodeConfiguredKey(String base64Key) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "hub.encryption-key is not valid base64; generate one with `openssl rand -base64 32`");
        }
        if (key.length != KEY_BYTES) {
            int length = key.length;
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException("hub.encryption-key must decode to " + KEY_BYTES
                    + " bytes (a 256-bit key), not " + length + "; generate one with `openssl rand -base64 32`");
        }
        return key;
    }

    private static byte[] loadOrCreateKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return readKeyFile(file);
        }
        Files.createDirectories(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        if (!publish(file, Base64.getEncoder().encodeToString(key) + "\n")) {
            return readKeyFile(file); // another start made one first; secrets may already be sealed with it
        }
        log.info("Generated the encryption key for secrets at rest in {}; back it up with the database", file);
        return key;
    }

    private static byte[] readKeyFile(Path file) throws IOException {
        byte[] key;
        try {
            key = Base64.getDecoder()
                    .decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != KEY_BYTES) {
            // a new key would make every stored secret unreadable, so never replace this file silently
            throw new IllegalStateException("The encryption key file " + file + " does not hold a base64 " + KEY_BYTES
                    + "-byte key; restore it from a backup, or set hub.encryption-key");
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null && !view.readAttributes().permissions().equals(OWNER_ONLY_FILE)) {
            log.warn("{} was readable by others; restricting it to its owner", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        }
        return key;
    }

    /**
     * Writes {@code content} to a private temporary file and then puts it in place at once, so that a crash never
     * leaves a half-written key. Returns false when {@code target} appeared meanwhile and was kept.
     */
    private static boolean publish(Path target, String content) throws IOException {
        Path dir = target.getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, KEY_FILE + ".", ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            try {
                // a hard link, unlike a rename, never replaces a key another start has just written
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                moveIntoPlace(tmp, target); // a file system without hard links
            }
            syncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true); // make the new directory entry itself durable
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open or sync a directory; the file's own content is synced
        }
    }
}

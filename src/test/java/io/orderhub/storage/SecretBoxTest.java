package io.orderhub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets at rest open only with the same key and for the same row; the key is never shown. */
class SecretBoxTest {

    private static final String CONTEXT = "proxy-config/tenant-a";

    @TempDir
    Path dataDir;

    private final SecretBox box = SecretBox.fromSettings(randomKey(), true, null);

    @Test
    void opensWhatItSealed() {
        for (String secret : new String[] {"s3cr3t", "", "pässwörd ✓ 密码 🔑", "x".repeat(10_000)}) {
            assertThat(box.open(box.seal(secret, CONTEXT), CONTEXT)).isEqualTo(secret);
        }
    }

    @Test
    void sealedTextIsVersionedAndHidesThePlaintext() {
        String sealed = box.seal("client-secret-4711", CONTEXT);

        assertThat(sealed).startsWith("v1:").doesNotContain("client-secret-4711");
        assertThat(new String(Base64.getDecoder().decode(sealed.substring(3)), StandardCharsets.ISO_8859_1))
                .doesNotContain("client-secret-4711");
    }

    @Test
    void twoSealsOfOneValueDiffer() {
        assertThat(box.seal("same", CONTEXT)).isNotEqualTo(box.seal("same", CONTEXT));
    }

    @Test
    void tamperedValueDoesNotOpen() {
        byte[] bytes = Base64.getDecoder().decode(box.seal("s3cr3t", CONTEXT).substring(3));
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            String sealed = "v1:" + Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> box.open(sealed, CONTEXT))
                    .as("byte %d flipped", i)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot decrypt");
        }
    }

    @Test
    void valueCopiedToAnotherTenantsRowDoesNotOpen() {
        String sealed = box.seal("s3cr3t", CONTEXT);

        assertThatThrownBy(() -> box.open(sealed, "proxy-config/tenant-b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot decrypt")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void valueSealedUnderAnotherKeyDoesNotOpen() {
        SecretBox other = SecretBox.fromSettings(randomKey(), true, null);

        assertThatThrownBy(() -> other.open(box.seal("s3cr3t", CONTEXT), CONTEXT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot decrypt");
    }

    @Test
    void malformedOrUnknownVersionsDoNotOpen() {
        String body = box.seal("s3cr3t", CONTEXT).substring(3);
        for (String sealed : new String[] {"v2:" + body, body, "v1:", "v1:not base64!", "v1:AAAA", "s3cr3t", null}) {
            assertThatThrownBy(() -> box.open(sealed, CONTEXT))
                    .as("opening %s", sealed)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot decrypt");
        }
    }

    @Test
    void generatesOwnerOnlyKeyFileOnceAndReusesIt() throws Exception {
        SecretBox first = SecretBox.fromSettings(null, false, dataDir);
        Path keyFile = dataDir.resolve("encryption.key");
        String written = Files.readString(keyFile);

        assertThat(Base64.getDecoder().decode(written.strip())).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files)
                    .as("files in the data dir, no temporary file left")
                    .containsExactly(keyFile);
        }

        SecretBox afterRestart = SecretBox.fromSettings(" ", false, dataDir);
        assertThat(afterRestart.open(first.seal("s3cr3t", CONTEXT), CONTEXT)).isEqualTo("s3cr3t");
        assertThat(Files.readString(keyFile)).isEqualTo(written);
    }

    @Test
    void createsTheDataDirForTheKey() {
        Path fresh = dataDir.resolve("new/data");

        SecretBox.fromSettings(null, false, fresh);

        assertThat(fresh.resolve("encryption.key")).isRegularFile();
    }

    @Test
    void restrictsAKeyFileOthersCouldRead() throws Exception {
        SecretBox.fromSettings(null, false, dataDir);
        Path keyFile = dataDir.resolve("encryption.key");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        SecretBox.fromSettings(null, false, dataDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesADamagedKeyFileInsteadOfReplacingIt() throws Exception {
        Path keyFile = dataDir.resolve("encryption.key");
        Files.writeString(keyFile, "c2hvcnQ=\n");

        assertThatThrownBy(() -> SecretBox.fromSettings(null, false, dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageNotContaining("c2hvcnQ=");
        assertThat(Files.readString(keyFile)).isEqualTo("c2hvcnQ=\n");
    }

    @Test
    void configuredKeyIsUsedAndNoKeyFileIsWritten() {
        String key = randomKey();
        SecretBox configured = SecretBox.fromSettings(key, false, dataDir);

        assertThat(SecretBox.fromSettings(key, true, null).open(configured.seal("s3cr3t", CONTEXT), CONTEXT))
                .isEqualTo("s3cr3t");
        assertThat(dataDir.resolve("encryption.key")).doesNotExist();
    }

    @Test
    void externalDatabaseRequiresAConfiguredKey() {
        for (String missing : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> SecretBox.fromSettings(missing, true, dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("hub.encryption-key is required with an external database");
        }
        assertThat(dataDir.resolve("encryption.key")).doesNotExist();
    }

    @Test
    void refusesAKeyOfTheWrongLengthWithoutShowingIt() {
        byte[] aes128 = new byte[16];
        new SecureRandom().nextBytes(aes128);
        String shortKey = Base64.getEncoder().encodeToString(aes128);

        assertThatThrownBy(() -> SecretBox.fromSettings(shortKey, true, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("not 16")
                .hasMessageNotContaining(shortKey)
                .hasNoCause();
    }

    @Test
    void refusesAKeyThatIsNotBase64WithoutShowingIt() {
        String notBase64 = "my-secret-passphrase-that-is-not-base64!";

        assertThatThrownBy(() -> SecretBox.fromSettings(notBase64, true, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining(notBase64)
                .hasNoCause();
    }

    @Test
    void toStringDoesNotRevealTheKey() {
        String key = randomKey();
        String shown = SecretBox.fromSettings(key, true, null).toString();

        assertThat(shown).doesNotContain(key);
        assertThat(shown).doesNotContain(key.substring(0, 8));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}

package io.orderhub.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Makes and checks bearer secrets: random, shown once, stored as SHA-256, compared in constant time. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_PREFIX = "ohk_";

    private Tokens() {}

    /** A new random secret of 32 bytes, URL-safe. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A short random id (lowercase hex), for key ids. */
    public static String randomId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A new API key of the form {@code ohk_<keyId>.<secret>}. */
    public static String newApiKey(String keyId) {
        return KEY_PREFIX + keyId + "." + randomSecret();
    }

    /**
     * The key id an API key is looked up by: the id inside our own format, or one derived from the hash for keys set
     * from outside ({@code hub.bootstrap.api-key}), so any string can be a key.
     */
    public static String keyIdOf(String apiKey) {
        if (apiKey.startsWith(KEY_PREFIX)) {
            int dot = apiKey.indexOf('.');
            if (dot > KEY_PREFIX.length()) {
                return apiKey.substring(KEY_PREFIX.length(), dot);
            }
        }
        return "x" + HexFormat.of().formatHex(sha256(apiKey)).substring(0, 16);
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(String presented, byte[] storedHash) {
        return presented != null && storedHash != null && MessageDigest.isEqual(sha256(presented), storedHash);
    }
}

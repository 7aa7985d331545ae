package io.orderhub.outbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signatures of a delivery (outbound.md): {@code X-Hii-Signature} over the envelope's {@code data} value, and
 * Standard Webhooks' {@code webhook-signature} over id, timestamp and the raw body, both HMAC-SHA256 with one key.
 */
final class Signatures {

    private Signatures() {}

    /** A {@code whsec_} key is base64 after the prefix (as Standard Webhooks libraries expect); else its UTF-8 bytes. */
    static byte[] keyBytes(String sharedKey) {
        return sharedKey.startsWith("whsec_")
                ? Base64.getDecoder().decode(sharedKey.substring("whsec_".length()))
                : sharedKey.getBytes(StandardCharsets.UTF_8);
    }

    static String hii(byte[] key, String data) {
        return "HS256=" + HexFormat.of().formatHex(hmac(key, data.getBytes(StandardCharsets.UTF_8)));
    }

    static String standardWebhooks(byte[] key, String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, signed));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}

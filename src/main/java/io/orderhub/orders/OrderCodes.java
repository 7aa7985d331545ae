package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Mints {@code orderCode}s (domain.md): a short code a shopper shows at the counter, for every store-fulfilled
 * fulfilment that has none, unique per tenant, in the v2 pattern {@code ^C[0-9A-HJKMNP-TV-Z]{6}$}.
 *
 * <p>Codes are drawn at random (32^6, about a billion per tenant), so they do not reveal order volumes or let one
 * code be guessed from another, and reserved in table {@code order_code} inside the caller's transaction.
 */
@Component
public class OrderCodes {

    /** Crockford's base 32: no I, L, O or U, so a code read out loud or typed from a receipt is not mistaken. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static final int ATTEMPTS = 20;

    private final NamedParameterJdbcTemplate jdbc;
    private final SecureRandom random = new SecureRandom();

    public OrderCodes(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds a minted code to every store-fulfilled fulfilment of {@code customerOrder} without one; the ones minted. */
    public List<String> mintMissing(String tenantId, String customerOrderId, JsonNode customerOrder) {
        List<String> minted = new ArrayList<>();
        for (JsonNode f : customerOrder.path("fulfillments")) {
            if (f instanceof ObjectNode fulfilment && Fulfillments.isStoreFulfilled(f) && !f.hasNonNull("orderCode")) {
                String code = reserve(
                        tenantId, customerOrderId, f.path("fulfillmentId").asText());
                fulfilment.put("orderCode", code);
                minted.add(code);
            }
        }
        return minted;
    }

    private String reserve(String tenantId, String customerOrderId, String fulfillmentId) {
        for (int i = 0; i < ATTEMPTS; i++) {
            String code = draw();
            // a code the OMS sent itself is taken too, though it was never reserved here
            int reserved = jdbc.update(
                    """
                    INSERT INTO order_code (tenant_id, order_code, customer_order_id, fulfillment_id)
                    SELECT :t, :code, :o, :f
                    WHERE NOT EXISTS (SELECT 1 FROM order_fulfillment WHERE tenant_id = :t AND order_code = :code)
                    ON CONFLICT (tenant_id, order_code) DO NOTHING
                    """,
                    new MapSqlParameterSource("t", tenantId)
                            .addValue("code", code)
                            .addValue("o", customerOrderId)
                            .addValue("f", fulfillmentId));
            if (reserved == 1) {
                return code;
            }
        }
        // twenty collisions in a row means the code space is nearly full: nothing a retry would fix
        throw new IllegalStateException("no free order code found for tenant " + tenantId);
    }

    String draw() {
        char[] code = new char[7];
        code[0] = 'C';
        for (int i = 1; i < code.length; i++) {
            code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }
}

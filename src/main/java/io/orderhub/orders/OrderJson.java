package io.orderhub.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;

/** The JSON mapper for order documents: numbers stay exact decimals, never binary floating point. */
public final class OrderJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private OrderJson() {}

    /** Parses a document; a malformed one raises {@link MalformedJson} with a message fit for a client. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedJson("the body is empty");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJson("the body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            // the position only: Jackson's own message names its classes and features
            throw new MalformedJson(
                    e.getLocation() == null
                            ? "malformed JSON"
                            : "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new MalformedJson("unreadable body");
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document is not JSON", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body that is not JSON. */
    public static final class MalformedJson extends RuntimeException {
        public MalformedJson(String message) {
            super(message);
        }
    }
}

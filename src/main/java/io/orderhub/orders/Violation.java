package io.orderhub.orders;

/**
 * One rule an order document breaks: where (an RFC 6901 JSON pointer) and what, in plain English.
 *
 * @param pointer RFC 6901 pointer to the offending value, e.g. {@code /customerOrder/items/0/quantity/value};
 *                {@code ""} is the document itself
 * @param message short explanation, e.g. {@code must be a number}
 */
public record Violation(String pointer, String message) {

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
    }
}

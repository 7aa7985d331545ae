package io.orderhub.outbound;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The ARTS POSLog of one delivery (outbound.md "POSLog"): one {@code POSLog} with one {@code Transaction} holding a
 * {@code CustomerOrderTransaction}, built with DOM so every value is escaped, with exact decimal amounts.
 *
 * <p>Element names are those of the NRF ARTS IXRetail POSLog 6.0 vocabulary where it has one
 * ({@code BusinessUnit/UnitID}, {@code WorkstationID}, {@code SequenceNumber}, {@code TransactionID},
 * {@code BeginDateTime}, {@code EndDateTime}, {@code CurrencyCode}, {@code CustomerOrderID}, {@code LineItem},
 * {@code ItemID}, {@code Quantity}, {@code RetailPriceModifier/Amount}, {@code ExtendedAmount}, {@code Total}). Where
 * ARTS has none, the element is the v2 order document's field name in ARTS casing ({@code FulfillmentID},
 * {@code LineItemID}, and {@code UnitPrice} as outbound.md names it), so a reader maps it back to the order without a
 * table. Line fields sit directly in {@code LineItem} as outbound.md lists them, not in an ARTS {@code Sale} wrapper.
 */
public final class PosLogXml {

    /** The ARTS IXRetail namespace, the default namespace of the whole document. */
    public static final String NS = "http://www.nrf-arts.org/IXRetail/namespace/";

    // Minor-unit digits when the currency is not an ISO 4217 currency with a minor unit (outbound.md's default).
    private static final int DEFAULT_FRACTION_DIGITS = 2;

    private PosLogXml() {}

    /**
     * One delivery as a POSLog transaction: who ({@code businessUnitId}, {@code workstationId}, the gapless
     * {@code sequenceNumber}), the stable {@code transactionId} derived from its cause, when, and the delivered lines.
     */
    public record Transaction(
            String businessUnitId,
            String workstationId,
            long sequenceNumber,
            String transactionId,
            Instant begin,
            Instant end,
            String currencyCode,
            String customerOrderId,
            String fulfillmentId,
            List<Line> lines) {

        public Transaction {
            Objects.requireNonNull(businessUnitId, "businessUnitId");
            Objects.requireNonNull(workstationId, "workstationId");
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(begin, "begin");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(currencyCode, "currencyCode");
            Objects.requireNonNull(customerOrderId, "customerOrderId");
            Objects.requireNonNull(fulfillmentId, "fulfillmentId");
            lines = List.copyOf(lines);
            if (sequenceNumber < 0) {
                throw new IllegalArgumentException("sequenceNumber " + sequenceNumber + " is negative");
            }
            if (end.isBefore(begin)) {
                throw new IllegalArgumentException("end " + end + " is before begin " + begin);
            }
            // Only a deliver that moved quantities produces a POSLog (domain.md), so there is always a line.
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("a POSLog needs at least one delivered line");
            }
        }
    }

    /**
     * One delivered line: the order's {@code lineItemId} and {@code itemId}, the delivered {@code quantity}, the
     * order's {@code unitPrice} and the {@code discountAmount} of each of its {@code unitDiscounts} (per unit).
     */
    public record Line(
            String lineItemId,
            String itemId,
            BigDecimal quantity,
            BigDecimal unitPrice,
            List<BigDecimal> unitDiscounts) {

        public Line {
            Objects.requireNonNull(lineItemId, "lineItemId");
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(unitPrice, "unitPrice");
            unitDiscounts = unitDiscounts == null ? List.of() : List.copyOf(unitDiscounts);
            if (quantity.signum() <= 0) {
                throw new IllegalArgumentException(
                        "line " + lineItemId + ": delivered quantity " + quantity + " is not positive");
            }
        }

        /** All of the line's discounts, exact: the per-unit discounts times the quantity. */
        public BigDecimal discount() {
            return unitDiscounts.stream()
                    .reduce(BigDecimal.ZERO, BigDecimal::add)
                    .multiply(quantity);
        }

        /** Quantity × unit price − discounts, rounded half-even once, at the end, to {@code fractionDigits}. */
        public BigDecimal extendedAmount(int fractionDigits) {
            return quantity.multiply(unitPrice).subtract(discount()).setScale(fractionDigits, RoundingMode.HALF_EVEN);
        }
    }

    /** The currency's minor-unit digits (JPY 0, EUR 2, BHD 3); 2 for a code that is not a currency with one. */
    public static int fractionDigits(String currencyCode) {
        try {
            int digits = Currency.getInstance(currencyCode).getDefaultFractionDigits();
            // -1 is a currency without a minor unit concept (XAU, XXX): use the default like an unknown code.
            return digits < 0 ? DEFAULT_FRACTION_DIGITS : digits;
        } catch (IllegalArgumentException unknownCode) {
            return DEFAULT_FRACTION_DIGITS;
        }
    }

    /** The sum of the lines' extended amounts, each rounded first, as the POSLog's {@code Total} shows it. */
    public static BigDecimal total(Transaction t) {
        int digits = fractionDigits(t.currencyCode());
        return t.lines().stream()
                .map(line -> line.extendedAmount(digits))
                .reduce(BigDecimal.ZERO.setScale(digits), BigDecimal::add);
    }

    /** The business day of a POSLog ({@code meta.businessDay}): the date of {@code end} in the business unit's zone. */
    public static LocalDate businessDay(Instant end, ZoneId zone) {
        return LocalDate.ofInstant(end, zone);
    }

    /** The POSLog XML of {@code t}, declared and meant to be sent as UTF-8. */
    public static String xml(Transaction t) {
        int digits = fractionDigits(t.currencyCode());
        Document doc = newDocument();
        Element posLog = doc.createElementNS(NS, "POSLog");
        doc.appendChild(posLog);
        // The vocabulary version, as POSLog 6.0 documents state it on the root.
        posLog.setAttribute("MajorVersion", "6");
        posLog.setAttribute("MinorVersion", "0");
        posLog.setAttribute("FixVersion", "0");

        Element tx = child(posLog, "Transaction");
        text(child(tx, "BusinessUnit"), "UnitID", t.businessUnitId());
        text(tx, "WorkstationID", t.workstationId());
        text(tx, "SequenceNumber", Long.toString(t.sequenceNumber()));
        // ARTS's own element for a transaction's unique id (next to SequenceNumber, as POSLog 6.0 POS systems write
        // it): the stable id derived from the delivery, so a receiver can recognise a redelivered POSLog too.
        text(tx, "TransactionID", t.transactionId());
        text(tx, "BeginDateTime", DateTimeFormatter.ISO_INSTANT.format(t.begin()));
        text(tx, "EndDateTime", DateTimeFormatter.ISO_INSTANT.format(t.end()));
        text(tx, "CurrencyCode", t.currencyCode());

        Element order = child(tx, "CustomerOrderTransaction");
        text(order, "CustomerOrderID", t.customerOrderId());
        // ARTS has no fulfilment element: the v2 fulfillmentId in ARTS casing, beside the order id it belongs to.
        text(order, "FulfillmentID", t.fulfillmentId());
        int lineNumber = 0;
        for (Line line : t.lines()) {
            Element item = child(order, "LineItem");
            // ARTS numbers a transaction's line items 1, 2, ...; the order's own line id follows as LineItemID.
            text(item, "SequenceNumber", Integer.toString(++lineNumber));
            text(item, "LineItemID", line.lineItemId());
            text(item, "ItemID", line.itemId());
            text(item, "Quantity", line.quantity().stripTrailingZeros().toPlainString());
            text(item, "UnitPrice", money(line.unitPrice(), digits));
            int modifierNumber = 0;
            for (BigDecimal unitDiscount : line.unitDiscounts()) {
                Element modifier = child(item, "RetailPriceModifier");
                text(modifier, "SequenceNumber", Integer.toString(++modifierNumber));
                // Exact (per-unit discount × quantity), not rounded: only ExtendedAmount is rounded, once, so
                // Quantity × UnitPrice − the Amounts recomputes it.
                text(modifier, "Amount", money(unitDiscount.multiply(line.quantity()), digits))
                        .setAttribute("Action", "Subtract");
            }
            text(item, "ExtendedAmount", line.extendedAmount(digits).toPlainString());
        }
        // The net of the lines after their discounts; the v2 document carries no tax breakdown to add a grand total.
        text(order, "Total", total(t).toPlainString()).setAttribute("TotalType", "TransactionNetAmount");
        return serialize(doc);
    }

    /** zlib-deflated UTF-8 bytes of {@code xml}, as {@code txr.transactions.v1} carries a POSLog. */
    public static byte[] deflate(String xml) {
        // The default Deflater writes the zlib format (RFC 1950 header and Adler-32), not raw deflate.
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The XML in zlib-deflated UTF-8 bytes, the reverse of {@link #deflate}; IllegalArgumentException if not zlib. */
    public static String inflate(byte[] deflated) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated or not zlib data");
                }
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** An amount as given, exact, but written with at least the currency's minor-unit digits (10 EUR as 10.00). */
    private static String money(BigDecimal amount, int digits) {
        return (amount.scale() < digits ? amount.setScale(digits) : amount).toPlainString();
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElementNS(NS, name);
        parent.appendChild(e);
        return e;
    }

    private static Element text(Element parent, String name, String value) {
        Element e = child(parent, name);
        e.setTextContent(xmlChars(name, value));
        return e;
    }

    /** {@code value} if XML 1.0 can carry it; a control character would make the POSLog not well-formed. */
    private static String xmlChars(String element, String value) {
        value.codePoints()
                .filter(c -> !(c == 0x9
                        || c == 0xA
                        || c == 0xD
                        || (c >= 0x20 && c <= 0xD7FF)
                        || (c >= 0xE000 && c <= 0xFFFD)
                        || (c >= 0x10000 && c <= 0x10FFFF)))
                .findFirst()
                .ifPresent(c -> {
                    throw new IllegalArgumentException(
                            String.format("%s contains U+%04X, which XML 1.0 cannot carry", element, c));
                });
        return value;
    }

    private static Document newDocument() {
        try {
            // The JDK's own implementation, whatever else is on the classpath.
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no DOM implementation", e);
        }
    }

    private static String serialize(Document doc) {
        try {
            TransformerFactory factory = TransformerFactory.newDefaultInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, StandardCharsets.UTF_8.name());
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            // Without these the JDK writes standalone="no" into the declaration, or the root on its line (the
            // second is a JDK output property, documented in the java.xml module summary).
            doc.setXmlStandalone(true);
            transformer.setOutputProperty("jdk.xml.xsltcIsStandalone", "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("POSLog serialization failed", e);
        }
    }
}

package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The check of a POSLog a POS submits to {@code POST .../business-units/{bu}/poslogs} (outbound.md "POSLog"):
 * well-formed XML whose {@code Transaction}s are all for {@code {bu}}, and the identity (business unit, workstation,
 * sequence number) by which a resubmission is recognised and not relayed twice.
 *
 * <p>Elements are matched by local name, whatever their namespace: POS vendors write the ARTS namespace, none, or
 * restate ARTS elements in their own extension namespace. Only direct children are read, so a {@code LineItem}'s
 * {@code SequenceNumber} is never taken for the transaction's.
 */
public final class PosLogSubmission {

    private PosLogSubmission() {}

    /**
     * What identifies a submitted transaction: a second POSLog with the same business unit, workstation and sequence
     * number is a resubmission. {@code endDateTime} is null when the POSLog has none or one that is not a date-time.
     */
    public record Identity(String businessUnitId, String workstationId, long sequenceNumber, Instant endDateTime) {}

    /** Either the {@code identity} of an acceptable POSLog or, for a 400, the {@code problems} found (never both). */
    public record Result(Identity identity, List<String> problems) {

        public Result {
            problems = List.copyOf(problems);
            if ((identity == null) == problems.isEmpty()) {
                throw new IllegalArgumentException("a result is either an identity or problems");
            }
        }

        static Result accepted(Identity identity) {
            return new Result(identity, List.of());
        }

        static Result rejected(List<String> problems) {
            return new Result(null, problems);
        }

        /** True when the POSLog may be stored and relayed. */
        public boolean ok() {
            return identity != null;
        }
    }

    /** {@link #check(byte[], String, ZoneId)} in UTC, the time zone of a business unit without a setting. */
    public static Result check(byte[] body, String bu) {
        return check(body, bu, ZoneOffset.UTC);
    }

    /**
     * Checks {@code body} as a POSLog for business unit {@code bu}. An {@code EndDateTime} without an offset (many POS
     * write local time) is read in {@code zone}, the business unit's time zone.
     */
    public static Result check(byte[] body, String bu, ZoneId zone) {
        Objects.requireNonNull(bu, "bu");
        Objects.requireNonNull(zone, "zone");
        Document doc;
        try {
            doc = parse(body == null ? new byte[0] : body);
        } catch (SAXParseException e) {
            return Result.rejected(List.of(notWellFormed(e)));
        } catch (SAXException | IOException e) {
            return Result.rejected(List.of("not well-formed XML: " + e.getMessage()));
        }

        Element root = doc.getDocumentElement();
        if (!"POSLog".equals(localName(root))) {
            return Result.rejected(List.of("the root element is " + shown(localName(root)) + ", not POSLog"));
        }
        List<Element> transactions = children(root, "Transaction");
        if (transactions.isEmpty()) {
            return Result.rejected(List.of("no Transaction"));
        }

        // A POSLog may batch several transactions: every one must be for {bu}. The batch is identified by its first
        // transaction, so resubmitting the same batch is recognised; the workstation and sequence number are required
        // of that one only, since the others take no part in recognising a resubmission.
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            String which = transactions.size() == 1 ? "the Transaction" : "Transaction " + (i + 1);
            String unitId = text(transactions.get(i), "BusinessUnit", "UnitID");
            if (unitId == null) {
                problems.add(which + " has no BusinessUnit/UnitID");
            } else if (!unitId.equals(bu)) {
                problems.add(which + "'s BusinessUnit/UnitID is " + shown(unitId) + ", not " + bu);
            }
        }
        Element first = transactions.get(0);
        String workstationId = text(first, "WorkstationID");
        if (workstationId == null) {
            problems.add(transactions.size() == 1 ? "no WorkstationID" : "no WorkstationID in Transaction 1");
        }
        String sequence = text(first, "SequenceNumber");
        Long sequenceNumber = null;
        if (sequence == null) {
            problems.add(transactions.size() == 1 ? "no SequenceNumber" : "no SequenceNumber in Transaction 1");
        } else {
            sequenceNumber = wholeNumber(sequence);
            if (sequenceNumber == null) {
                problems.add(
                        "SequenceNumber " + shown(sequence) + " is not a whole number from 0 to " + Long.MAX_VALUE);
            }
        }
        if (!problems.isEmpty()) {
            return Result.rejected(problems);
        }
        return Result.accepted(
                new Identity(bu, workstationId, sequenceNumber, instant(text(first, "EndDateTime"), zone)));
    }

    private static Document parse(byte[] body) throws SAXException, IOException {
        DocumentBuilder builder = newBuilder();
        // Fail on the first error, and keep the parser's own reporting off stderr.
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {}

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        // From bytes, so the parser honours the document's own encoding declaration or byte order mark.
        return builder.parse(new InputSource(new ByteArrayInputStream(body)));
    }

    /**
     * A namespace-aware parser that refuses any DOCTYPE: no DTD, so no external entity (XXE), no external DTD fetch and
     * no entity expansion bomb. Sizes are not limited here: the HTTP layer limits the body.
     */
    private static DocumentBuilder newBuilder() {
        try {
            // The JDK's own parser, whatever else is on the classpath: the features below are Xerces's names.
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            // Belt and braces should the DOCTYPE refusal ever be lifted: nothing external is read, nothing expanded.
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required security feature", e);
        }
    }

    private static String notWellFormed(SAXParseException e) {
        String where = e.getLineNumber() > 0 ? " at line " + e.getLineNumber() : "";
        String message = String.valueOf(e.getMessage());
        // The parser names its feature; a POS developer needs to know what to remove.
        if (message.contains("disallow-doctype-decl")) {
            return "a DOCTYPE is not accepted" + where + " (no DTDs or entity declarations in a POSLog)";
        }
        return "not well-formed XML" + where + (e.getColumnNumber() > 0 ? ", column " + e.getColumnNumber() : "") + ": "
                + message;
    }

    /** The trimmed text at {@code path} of direct children under {@code parent}; null if absent or blank. */
    private static String text(Element parent, String... path) {
        Element e = parent;
        for (String name : path) {
            List<Element> found = children(e, name);
            if (found.isEmpty()) {
                return null;
            }
            e = found.get(0);
        }
        String value = e.getTextContent().strip();
        return value.isEmpty() ? null : value;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(localName(e))) {
                found.add(e);
            }
        }
        return found;
    }

    private static String localName(Element e) {
        // Null only for a DOM built without namespace awareness; the parser here is namespace-aware.
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    /** A submitted value as a problem message quotes it: shortened, so a huge value cannot bloat the answer. */
    private static String shown(String value) {
        return value.codePointCount(0, value.length()) <= 64
                ? value
                : value.substring(0, value.offsetByCodePoints(0, 64)) + "...";
    }

    /** ARTS sequence numbers are non-negative integers; "0451" and "451" are the same transaction. */
    private static Long wholeNumber(String s) {
        try {
            long n = Long.parseLong(s);
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An xs:dateTime as an instant: with its offset, or without one in {@code zone}; null when it is none. */
    private static Instant instant(String value, ZoneId zone) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException withoutOffset) {
            try {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            } catch (DateTimeException notADateTime) {
                // Not a reason to refuse the sale: outbound.md asks only for a Transaction for {bu}.
                return null;
            }
        }
    }
}

package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderhub.outbound.PosLogXml.Line;
import io.orderhub.outbound.PosLogXml.Transaction;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.InflaterInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The POSLog of a delivery: exact amounts rounded once, escaped values, the ARTS namespace, zlib, business days. */
class PosLogXmlTest {

    private static final Instant BEGIN = Instant.parse("2026-03-01T10:15:00Z");
    private static final Instant END = Instant.parse("2026-03-01T10:15:02Z");

    @Test
    void extendedAmountsRoundHalfEvenToTheCentOnceAfterDiscounts() {
        // 3 × 9.995 − 3 × 0.10 = 29.685 → 29.68 (half-up would say 29.69); 1 × 0.125 = 0.125 → 0.12.
        Document doc = parse(PosLogXml.xml(transaction(
                "EUR",
                new Line("1", "I1", dec("3"), dec("9.995"), List.of(dec("0.10"))),
                new Line("2", "I2", dec("1"), dec("0.125"), List.of()))));

        List<Element> lines = all(doc, "LineItem");
        assertThat(lines).hasSize(2);
        assertThat(text(lines.get(0), "Quantity")).isEqualTo("3");
        assertThat(text(lines.get(0), "UnitPrice")).isEqualTo("9.995");
        Element discount = first(lines.get(0), "RetailPriceModifier");
        assertThat(text(discount, "Amount")).isEqualTo("0.30");
        assertThat(first(discount, "Amount").getAttribute("Action")).isEqualTo("Subtract");
        assertThat(text(lines.get(0), "ExtendedAmount")).isEqualTo("29.68");
        assertThat(all(lines.get(1), "RetailPriceModifier")).isEmpty();
        assertThat(text(lines.get(1), "ExtendedAmount")).isEqualTo("0.12");
        Element total = all(doc, "Total").get(0);
        assertThat(total.getTextContent()).isEqualTo("29.80");
        assertThat(total.getAttribute("TotalType")).isEqualTo("TransactionNetAmount");
    }

    @Test
    void severalDiscountsOfALineAreEachShownAndAllSubtracted() {
        Document doc = parse(PosLogXml.xml(
                transaction("EUR", new Line("1", "I1", dec("2"), dec("10"), List.of(dec("1.50"), dec("0.25"))))));

        Element line = all(doc, "LineItem").get(0);
        assertThat(text(line, "UnitPrice"))
                .as("an integral price is written with cents")
                .isEqualTo("10.00");
        assertThat(all(line, "RetailPriceModifier"))
                .extracting(m -> text(m, "SequenceNumber") + ":" + text(m, "Amount"))
                .containsExactly("1:3.00", "2:0.50");
        assertThat(text(line, "ExtendedAmount")).isEqualTo("16.50");
    }

    @Test
    void yenHasNoMinorUnitSoAmountsRoundToWholeYen() {
        // 3 × 333 − 3 × 33.5 = 898.5 → 898; 1 × 1001 − 0.5 = 1000.5 → 1000 (both to the even neighbour).
        Document doc = parse(PosLogXml.xml(transaction(
                "JPY",
                new Line("1", "I1", dec("3"), dec("333"), List.of(dec("33.5"))),
                new Line("2", "I2", dec("1"), dec("1001"), List.of(dec("0.5"))))));

        List<Element> lines = all(doc, "LineItem");
        assertThat(text(lines.get(0), "UnitPrice")).isEqualTo("333");
        assertThat(text(lines.get(0), "ExtendedAmount")).isEqualTo("898");
        assertThat(text(lines.get(1), "ExtendedAmount")).isEqualTo("1000");
        assertThat(text(doc.getDocumentElement(), "Transaction", "CustomerOrderTransaction", "Total"))
                .isEqualTo("1898");
    }

    @Test
    void minorUnitsComeFromTheCurrencyWithTwoForUnknownCodes() {
        assertThat(PosLogXml.fractionDigits("EUR")).isEqualTo(2);
        assertThat(PosLogXml.fractionDigits("JPY")).isEqualTo(0);
        assertThat(PosLogXml.fractionDigits("BHD")).isEqualTo(3);
        assertThat(PosLogXml.fractionDigits("XAU"))
                .as("a currency without a minor unit")
                .isEqualTo(2);
        assertThat(PosLogXml.fractionDigits("ZZZ")).as("not a currency").isEqualTo(2);

        Document doc = parse(PosLogXml.xml(transaction("ZZZ", new Line("1", "I1", dec("1"), dec("0.005"), null))));
        assertThat(text(all(doc, "LineItem").get(0), "ExtendedAmount")).isEqualTo("0.00");
        assertThat(text(doc.getDocumentElement(), "Transaction", "CurrencyCode"))
                .isEqualTo("ZZZ");
    }

    @Test
    void markupInIdsIsEscapedAndReadsBackUnchanged() {
        String bu = "S<1>&\"'";
        String order = "A&B <order>";
        String item = "]]> & <![CDATA[x";
        Transaction t = new Transaction(
                bu,
                "POS<&>",
                7,
                "tx&<1>",
                BEGIN,
                END,
                "EUR",
                order,
                "F&1",
                List.of(new Line("1&2", item, dec("1"), dec("1"), List.of())));

        String xml = PosLogXml.xml(t);

        assertThat(xml).contains("S&lt;1&gt;&amp;").doesNotContain("S<1>").doesNotContain("A&B");
        Document doc = parse(xml);
        Element tx = first(doc.getDocumentElement(), "Transaction");
        assertThat(text(tx, "BusinessUnit", "UnitID")).isEqualTo(bu);
        assertThat(text(tx, "WorkstationID")).isEqualTo("POS<&>");
        assertThat(text(tx, "TransactionID")).isEqualTo("tx&<1>");
        assertThat(text(tx, "CustomerOrderTransaction", "CustomerOrderID")).isEqualTo(order);
        assertThat(text(tx, "CustomerOrderTransaction", "FulfillmentID")).isEqualTo("F&1");
        Element line = all(doc, "LineItem").get(0);
        assertThat(text(line, "ItemID")).isEqualTo(item);
        assertThat(text(line, "LineItemID")).isEqualTo("1&2");
    }

    @Test
    void aValueXmlCannotCarryIsRefusedRatherThanWrittenBroken() {
        Transaction t = transaction("EUR", new Line("1", "I\u0001", dec("1"), dec("1"), List.of()));

        assertThatThrownBy(() -> PosLogXml.xml(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ItemID contains U+0001, which XML 1.0 cannot carry");
    }

    @Test
    void everyElementIsInTheArtsNamespaceInTheArtsShape() {
        String xml = PosLogXml.xml(transaction("EUR", new Line("7", "I1", dec("2.000"), dec("9.95"), List.of())));

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Document doc = parse(xml);
        Element root = doc.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(PosLogXml.NS);
        assertThat(root.getLocalName()).isEqualTo("POSLog");
        assertThat(root.getPrefix()).as("the default namespace, no prefix").isNull();
        assertThat(root.getAttribute("MajorVersion")).isEqualTo("6");
        NodeList everything = doc.getElementsByTagName("*");
        for (int i = 0; i < everything.getLength(); i++) {
            assertThat(everything.item(i).getNamespaceURI())
                    .as("namespace of " + everything.item(i).getNodeName())
                    .isEqualTo(PosLogXml.NS);
        }

        List<Element> transactions = children(root, "Transaction");
        assertThat(transactions).hasSize(1);
        Element tx = transactions.get(0);
        assertThat(children(tx, null))
                .extracting(Element::getLocalName)
                .containsExactly(
                        "BusinessUnit",
                        "WorkstationID",
                        "SequenceNumber",
                        "TransactionID",
                        "BeginDateTime",
                        "EndDateTime",
                        "CurrencyCode",
                        "CustomerOrderTransaction");
        assertThat(text(tx, "BusinessUnit", "UnitID")).isEqualTo("S1");
        assertThat(text(tx, "WorkstationID")).isEqualTo("ORDERHUB");
        assertThat(text(tx, "SequenceNumber")).isEqualTo("42");
        assertThat(text(tx, "TransactionID")).isEqualTo("deliver:A1:F1:key-1");
        assertThat(text(tx, "BeginDateTime")).isEqualTo("2026-03-01T10:15:00Z");
        assertThat(text(tx, "EndDateTime")).isEqualTo("2026-03-01T10:15:02Z");
        assertThat(text(tx, "CurrencyCode")).isEqualTo("EUR");
        Element order = first(tx, "CustomerOrderTransaction");
        assertThat(children(order, null))
                .extracting(Element::getLocalName)
                .containsExactly("CustomerOrderID", "FulfillmentID", "LineItem", "Total");
        Element line = first(order, "LineItem");
        assertThat(children(line, null))
                .extracting(Element::getLocalName)
                .containsExactly("SequenceNumber", "LineItemID", "ItemID", "Quantity", "UnitPrice", "ExtendedAmount");
        assertThat(text(line, "SequenceNumber")).isEqualTo("1");
        assertThat(text(line, "LineItemID")).isEqualTo("7");
        assertThat(text(line, "Quantity")).isEqualTo("2");
        assertThat(text(line, "ExtendedAmount")).isEqualTo("19.90");
    }

    @Test
    void deflatedPosLogIsZlibAndInflatesToTheSameXml() throws Exception {
        String xml = PosLogXml.xml(transaction("SEK", new Line("1", "Åsa ✓ 🧦", dec("1"), dec("49"), List.of())));

        byte[] deflated = PosLogXml.deflate(xml);

        assertThat(deflated[0]).as("zlib CMF: deflate, 32K window").isEqualTo((byte) 0x78);
        assertThat(((deflated[0] & 0xff) << 8 | (deflated[1] & 0xff)) % 31)
                .as("zlib header check bits")
                .isZero();
        assertThat(PosLogXml.inflate(deflated)).isEqualTo(xml);
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .as("what any zlib reader gets")
                    .isEqualTo(xml);
        }
        assertThatThrownBy(() -> PosLogXml.inflate(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void businessDayIsTheDateOfTheEndInTheBusinessUnitsZone() {
        ZoneId stockholm = ZoneId.of("Europe/Stockholm");
        Instant winterNight = Instant.parse("2026-01-15T23:30:00Z"); // 00:30 on the 16th in Stockholm (UTC+1)
        Instant summerNight = Instant.parse("2026-06-30T22:30:00Z"); // 00:30 on 1 July in Stockholm (UTC+2)
        Instant summerEvening = Instant.parse("2026-06-30T21:30:00Z"); // 23:30 on 30 June in Stockholm

        assertThat(PosLogXml.businessDay(winterNight, ZoneOffset.UTC)).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(PosLogXml.businessDay(winterNight, stockholm)).isEqualTo(LocalDate.of(2026, 1, 16));
        assertThat(PosLogXml.businessDay(summerNight, ZoneOffset.UTC)).isEqualTo(LocalDate.of(2026, 6, 30));
        assertThat(PosLogXml.businessDay(summerNight, stockholm)).isEqualTo(LocalDate.of(2026, 7, 1));
        assertThat(PosLogXml.businessDay(summerEvening, stockholm)).isEqualTo(LocalDate.of(2026, 6, 30));
    }

    @Test
    void aDeliveryWithoutLinesOrWithANonPositiveQuantityIsRefused() {
        assertThatThrownBy(() -> transaction("EUR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one delivered line");
        assertThatThrownBy(() -> new Line("1", "I1", dec("0"), dec("1"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not positive");
    }

    private static Transaction transaction(String currency, Line... lines) {
        return new Transaction(
                "S1", "ORDERHUB", 42, "deliver:A1:F1:key-1", BEGIN, END, currency, "A1", "F1", List.of(lines));
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("expected well-formed XML, got: " + e.getMessage() + "\n" + xml, e);
        }
    }

    /** Every element named {@code localName} in the ARTS namespace, at any depth under {@code node}. */
    private static List<Element> all(Node node, String localName) {
        NodeList list = node instanceof Document d
                ? d.getElementsByTagNameNS(PosLogXml.NS, localName)
                : ((Element) node).getElementsByTagNameNS(PosLogXml.NS, localName);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            found.add((Element) list.item(i));
        }
        return found;
    }

    /** Direct child elements in the ARTS namespace, all of them when {@code localName} is null. */
    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e
                    && PosLogXml.NS.equals(e.getNamespaceURI())
                    && (localName == null || localName.equals(e.getLocalName()))) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element first(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        assertThat(found).as("a " + localName + " in " + parent.getLocalName()).isNotEmpty();
        return found.get(0);
    }

    /** The text at a path of direct children. */
    private static String text(Element parent, String... path) {
        Element e = parent;
        for (String name : path) {
            e = first(e, name);
        }
        return e.getTextContent();
    }
}

package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.orderhub.outbound.PosLogSubmission.Identity;
import io.orderhub.outbound.PosLogSubmission.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a POS may submit: well-formed XML with Transactions for the path's business unit, parsed without DTDs. */
class PosLogSubmissionTest {

    private static final String ARTS = "xmlns=\"http://www.nrf-arts.org/IXRetail/namespace/\"";

    @TempDir
    Path dir;

    @Test
    void aPosLogTheHubBuildsPassesWithItsIdentity() {
        PosLogXml.Transaction t = new PosLogXml.Transaction(
                "S1",
                "ORDERHUB",
                42,
                "tx-1",
                Instant.parse("2026-03-01T10:15:00Z"),
                Instant.parse("2026-03-01T10:15:02Z"),
                "EUR",
                "A1",
                "F1",
                List.of(new PosLogXml.Line("1", "I1", BigDecimal.ONE, BigDecimal.TEN, List.of())));

        Result result = PosLogSubmission.check(PosLogXml.xml(t).getBytes(StandardCharsets.UTF_8), "S1");

        assertThat(result.problems()).isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result.identity())
                .isEqualTo(new Identity("S1", "ORDERHUB", 42, Instant.parse("2026-03-01T10:15:02Z")));
    }

    @Test
    void malformedXmlIsRefusedWithItsLine() {
        Result result = check(
                """
                <POSLog>
                  <Transaction>
                    <BusinessUnit><UnitID>S1</UnitID></BusinessUnits>
                  </Transaction>
                </POSLog>
                """,
                "S1");

        assertThat(result.ok()).isFalse();
        assertThat(result.identity()).isNull();
        assertThat(result.problems()).singleElement().asString().startsWith("not well-formed XML at line 3");
    }

    @Test
    void emptyOrNonXmlBodiesAreNotWellFormed() {
        assertThat(PosLogSubmission.check(new byte[0], "S1").problems())
                .singleElement()
                .asString()
                .startsWith("not well-formed XML");
        assertThat(PosLogSubmission.check(null, "S1").ok()).isFalse();
        assertThat(check("{\"POSLog\": {}}", "S1").problems())
                .singleElement()
                .asString()
                .startsWith("not well-formed XML at line 1");
    }

    @Test
    void parserErrorsAreAnsweredNotPrinted() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            check("<POSLog><Transaction></POSLog>", "S1");
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anExternalEntityIsRefusedAndTheLocalFileIsNeverRead() throws Exception {
        // The file holds the one UnitID that would pass: were the entity resolved, the check would succeed.
        Path secret = Files.writeString(dir.resolve("unit-id.txt"), "S1");
        Result result = check(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE POSLog [<!ENTITY unit SYSTEM "%s">]>
                <POSLog>
                  <Transaction>
                    <BusinessUnit><UnitID>&unit;</UnitID></BusinessUnit>
                    <WorkstationID>POS1</WorkstationID>
                    <SequenceNumber>1</SequenceNumber>
                  </Transaction>
                </POSLog>
                """
                        .formatted(secret.toUri()),
                "S1");

        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).singleElement().asString().startsWith("a DOCTYPE is not accepted at line 2");
    }

    @Test
    void anExternalDtdOrParameterEntityIsNeverFetched() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] dtd = "<!ENTITY unit \"S1\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            exchange.getResponseBody().write(dtd);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String body = "<POSLog><Transaction><BusinessUnit><UnitID>&unit;</UnitID></BusinessUnit>"
                    + "<WorkstationID>POS1</WorkstationID><SequenceNumber>1</SequenceNumber></Transaction></POSLog>";

            Result externalDtd = check("<!DOCTYPE POSLog SYSTEM \"" + base + "/poslog.dtd\">" + body, "S1");
            Result parameterEntity =
                    check("<!DOCTYPE POSLog [<!ENTITY % p SYSTEM \"" + base + "/p.dtd\"> %p;]>" + body, "S1");

            assertThat(externalDtd.ok()).isFalse();
            assertThat(parameterEntity.ok()).isFalse();
            assertThat(fetches).as("requests the parser made to the DTD server").hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTransactionOfAnotherBusinessUnitIsRefused() {
        Result result = check(posLog(ARTS, transaction("S2", "POS1", "7")), "S1");

        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).containsExactly("the Transaction's BusinessUnit/UnitID is S2, not S1");
    }

    @Test
    void aPosLogWithoutTransactionOrBusinessUnitIsRefused() {
        assertThat(check(posLog(ARTS, ""), "S1").problems()).containsExactly("no Transaction");
        assertThat(check("<Transaction><BusinessUnit><UnitID>S1</UnitID></BusinessUnit></Transaction>", "S1")
                        .problems())
                .containsExactly("the root element is Transaction, not POSLog");
        assertThat(check(
                                posLog(
                                        ARTS,
                                        "<Transaction><WorkstationID>POS1</WorkstationID>"
                                                + "<SequenceNumber>1</SequenceNumber></Transaction>"),
                                "S1")
                        .problems())
                .containsExactly("the Transaction has no BusinessUnit/UnitID");
    }

    @Test
    void missingWorkstationAndSequenceNumberAreBothNamed() {
        Result result = check(
                posLog(ARTS, "<Transaction><BusinessUnit><UnitID>S1</UnitID></BusinessUnit></Transaction>"), "S1");

        assertThat(result.problems()).containsExactly("no WorkstationID", "no SequenceNumber");
    }

    @Test
    void aLineItemsSequenceNumberIsNotTheTransactions() {
        Result result = check(
                posLog(
                        ARTS,
                        "<Transaction><BusinessUnit><UnitID>S1</UnitID></BusinessUnit>"
                                + "<WorkstationID>POS1</WorkstationID>"
                                + "<RetailTransaction><LineItem><SequenceNumber>1</SequenceNumber></LineItem>"
                                + "</RetailTransaction></Transaction>"),
                "S1");

        assertThat(result.problems()).containsExactly("no SequenceNumber");
    }

    @Test
    void aSequenceNumberMustBeAWholeNumberAndLeadingZerosDoNotMakeANewOne() {
        assertThat(check(posLog(ARTS, transaction("S1", "POS1", "A-17")), "S1").problems())
                .containsExactly("SequenceNumber A-17 is not a whole number from 0 to " + Long.MAX_VALUE);
        assertThat(check(posLog(ARTS, transaction("S1", "POS1", " 0451 ")), "S1")
                        .identity()
                        .sequenceNumber())
                .isEqualTo(451);
    }

    @Test
    void noNamespaceAndPrefixedNamespacesAreAcceptedByLocalName() {
        Identity expected = new Identity("S1", "POS1", 7, Instant.parse("2026-03-01T09:00:00Z"));

        assertThat(check(posLog("", transaction("S1", "POS1", "7")), "S1").identity())
                .as("no namespace")
                .isEqualTo(expected);
        assertThat(check(
                                """
                <arts:POSLog xmlns:arts="http://www.nrf-arts.org/IXRetail/namespace/">
                  <arts:Transaction>
                    <arts:BusinessUnit><arts:UnitID> S1 </arts:UnitID></arts:BusinessUnit>
                    <arts:WorkstationID>POS1</arts:WorkstationID>
                    <arts:SequenceNumber>7</arts:SequenceNumber>
                    <arts:EndDateTime>2026-03-01T10:00:00+01:00</arts:EndDateTime>
                  </arts:Transaction>
                </arts:POSLog>
                """,
                                "S1")
                        .identity())
                .as("ARTS with a prefix")
                .isEqualTo(expected);
    }

    @Test
    void everyTransactionOfABatchMustBeForTheBusinessUnitAndTheFirstIdentifiesIt() {
        Result mixed = check(posLog(ARTS, transaction("S1", "POS1", "7") + transaction("S2", "POS1", "8")), "S1");
        Result ours = check(posLog(ARTS, transaction("S1", "POS1", "7") + transaction("S1", "POS2", "8")), "S1");

        assertThat(mixed.problems()).containsExactly("Transaction 2's BusinessUnit/UnitID is S2, not S1");
        assertThat(ours.identity()).isEqualTo(new Identity("S1", "POS1", 7, Instant.parse("2026-03-01T09:00:00Z")));
    }

    @Test
    void anEndDateTimeWithoutOffsetIsLocalTimeOfTheBusinessUnitAndAnUnreadableOneIsNoReasonToRefuse() {
        String local = posLog(
                ARTS,
                "<Transaction><BusinessUnit><UnitID>S1</UnitID></BusinessUnit><WorkstationID>POS1</WorkstationID>"
                        + "<SequenceNumber>7</SequenceNumber><EndDateTime>2026-07-01T00:30:00</EndDateTime>"
                        + "</Transaction>");
        String unreadable = local.replace("2026-07-01T00:30:00", "yesterday");
        String absent = local.replace("<EndDateTime>2026-07-01T00:30:00</EndDateTime>", "");

        assertThat(PosLogSubmission.check(bytes(local), "S1", ZoneId.of("Europe/Stockholm"))
                        .identity()
                        .endDateTime())
                .isEqualTo(Instant.parse("2026-06-30T22:30:00Z"));
        assertThat(check(local, "S1").identity().endDateTime()).isEqualTo(Instant.parse("2026-07-01T00:30:00Z"));
        assertThat(check(unreadable, "S1").identity()).isEqualTo(new Identity("S1", "POS1", 7, null));
        assertThat(check(absent, "S1").identity()).isEqualTo(new Identity("S1", "POS1", 7, null));
    }

    @Test
    void theDocumentsOwnEncodingIsHonoured() {
        byte[] latin1 = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                        + posLog(ARTS, transaction("S1", "Kassa Å", "7")))
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThat(PosLogSubmission.check(latin1, "S1").identity().workstationId())
                .isEqualTo("Kassa Å");
    }

    private static String posLog(String namespace, String transactions) {
        return "<POSLog " + namespace + ">" + transactions + "</POSLog>";
    }

    private static String transaction(String bu, String workstation, String sequence) {
        return "<Transaction><BusinessUnit><UnitID>" + bu + "</UnitID></BusinessUnit>"
                + "<WorkstationID>" + workstation + "</WorkstationID>"
                + "<SequenceNumber>" + sequence + "</SequenceNumber>"
                + "<EndDateTime>2026-03-01T09:00:00Z</EndDateTime></Transaction>";
    }

    private static Result check(String body, String bu) {
        return PosLogSubmission.check(bytes(body), bu);
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}

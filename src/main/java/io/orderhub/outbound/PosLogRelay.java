package io.orderhub.outbound;

import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.Violation;
import io.orderhub.security.Caller;
import io.orderhub.tenants.Tenant;
import io.orderhub.tenants.TenantRepository;
import java.time.ZoneId;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/business-units/{bu}/poslogs} (every mode; in proxy mode this is how the OMS learns of pickups):
 * a POSLog from a POS, checked (well-formed XML with a Transaction for {@code {bu}}), stored and relayed to subscribers
 * of {@code txr.transactions.v1} once per transaction.
 */
@Component("posLogRelay")
public class PosLogRelay {

    private final PosLogs posLogs;
    private final TenantRepository tenants;
    private final TransactionTemplate transaction;

    public PosLogRelay(PosLogs posLogs, TenantRepository tenants, PlatformTransactionManager transactions) {
        this.posLogs = posLogs;
        this.tenants = tenants;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** 202 {"status": "ACCEPTED"} the first time, {"status": "DUPLICATE"} for a transaction relayed before. */
    public void relay(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw ProblemException.validation(List.of(new Violation("", "a POSLog XML body is required")));
        }
        ZoneId zone = tenants.find(caller.tenantId())
                .map(Tenant::timeZone)
                .map(ZoneId::of)
                .orElse(ZoneId.of("UTC"));
        PosLogSubmission.Result checked = PosLogSubmission.check(body, bu, zone);
        if (!checked.ok()) {
            throw ProblemException.validation(checked.problems().stream()
                    .map(p -> new Violation("/POSLog", p))
                    .toList());
        }
        PosLogSubmission.Identity id = checked.identity();
        boolean relayed =
                transaction.execute(tx -> posLogs.relay(caller.tenantId(), id, body, CorrelationIds.of(exchange)));
        HttpAnswers.set(
                exchange,
                202,
                "{\"status\":\"" + (relayed ? "ACCEPTED" : "DUPLICATE") + "\",\"businessUnitId\":\""
                        + id.businessUnitId() + "\",\"workstationId\":\"" + jsonEscape(id.workstationId())
                        + "\",\"sequenceNumber\":" + id.sequenceNumber() + "}",
                null);
    }

    private static String jsonEscape(String s) {
        return io.orderhub.orders.OrderJson.write(
                        io.orderhub.orders.OrderJson.MAPPER.getNodeFactory().textNode(s))
                .replaceAll("^\"|\"$", "");
    }
}

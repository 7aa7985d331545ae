package io.orderhub.orders;

import java.time.OffsetDateTime;
import java.util.List;

/** An order as stored: its document plus what the hub keeps beside it to order and audit events. */
public record StoredOrder(
        String tenantId,
        String customerOrderId,
        String businessUnitId,
        String document,
        String origin,
        Long appliedSeq,
        OffsetDateTime omsSnapshotTime,
        List<String> flags,
        OffsetDateTime changedAt) {}

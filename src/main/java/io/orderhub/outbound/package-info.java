/**
 * Outbound: the transactional outbox, webhook subscriptions and the delivery journal, and the dispatch of deliveries
 * (CloudEvents envelope, signatures, retries, per-order ordering) to subscribers.
 */
package io.orderhub.outbound;

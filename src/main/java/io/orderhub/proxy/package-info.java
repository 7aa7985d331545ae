/**
 * Proxy mode: reads forwarded to a tenant's OMS with its configured auth, each tenant behind its own circuit breaker,
 * timeout and bulkhead, answers mapped to the hub's v2 model by a mapping file the integration team owns.
 */
package io.orderhub.proxy;

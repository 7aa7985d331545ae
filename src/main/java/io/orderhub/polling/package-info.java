/**
 * Polling mode: the hub asks a tenant's OMS what changed and puts each order found on the bus as if the OMS had PUT it;
 * one poller per tenant across hub instances, the cursor kept in PostgreSQL.
 */
package io.orderhub.polling;

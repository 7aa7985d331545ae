/** Accepting order events from the OMS and carrying them on the bus to the apply route. */
package io.orderhub.ingest;

/** The hub's PostgreSQL: the embedded default server, the data source and what keeps tables bounded. */
package io.orderhub.storage;

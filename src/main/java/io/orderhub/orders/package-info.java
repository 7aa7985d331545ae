/** The customer order document: its validation, the rules that merge snapshots, storage, reads and history. */
package io.orderhub.orders;

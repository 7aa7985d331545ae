/** The store side: store operations on fulfilments (ready for pickup, deliver), shipment ownership, store-created orders. */
package io.orderhub.stores;

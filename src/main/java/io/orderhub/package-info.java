/** Order Hub: keeps an OMS and the stores' systems in sync on customer orders. */
package io.orderhub;

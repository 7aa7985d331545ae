/** Tenants, their mode and settings, and the API keys that belong to them. */
package io.orderhub.tenants;

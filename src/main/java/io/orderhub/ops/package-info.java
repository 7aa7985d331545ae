/** What operations see: correlation ids, problems, health, metrics and alerts. */
package io.orderhub.ops;

/** Who may call what: API keys, the operator token, the ops login, enforced in the web layer. */
package io.orderhub.security;

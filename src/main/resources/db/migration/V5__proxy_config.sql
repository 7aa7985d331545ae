-- Proxy mode (api.md "Proxy configuration"): how the hub authenticates to a tenant's OMS. The configuration, secrets
-- included, is stored sealed (AES-GCM, storage/SecretBox, the tenant in the authenticated data), never in clear text.
CREATE TABLE proxy_config (
    tenant_id  text PRIMARY KEY REFERENCES tenant (tenant_id),
    auth_type  text        NOT NULL CHECK (auth_type IN ('basic', 'oauth2')),
    sealed     text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

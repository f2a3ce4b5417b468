-- Third-party provider credentials an admin enters (PUT /api/admin/providers/{ref}), encrypted at rest by core's
-- CredentialCipher: AES-256-GCM under a key derived from CREDENTIALS_ENCRYPTION_KEY, bound to this row's id and
-- provider_ref (a ciphertext copied to another row does not decrypt). ciphertext is the stored form
-- "v<key version>:<base64>"; key_version repeats its version so that a key rotation (opsctl secrets rotate-key)
-- can count what is left under an old key without parsing. endpoint_url is not secret (null: the configured
-- default). One row per provider.
CREATE TABLE provider_credentials (
    id BIGINT NOT NULL AUTO_INCREMENT,
    provider_ref VARCHAR(32) NOT NULL,
    endpoint_url VARCHAR(512) NULL,
    ciphertext LONGTEXT NOT NULL,
    key_version INT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_provider_credentials_ref UNIQUE (provider_ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- the admin role checks: the last admin cannot be demoted, which locks the admin rows (an index range, not the
-- whole users table)
CREATE INDEX idx_users_role ON users (role, id);

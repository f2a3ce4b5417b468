DROP INDEX idx_users_role ON users;
DROP TABLE provider_credentials;

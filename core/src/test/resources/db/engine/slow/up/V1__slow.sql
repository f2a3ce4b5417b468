CREATE TABLE slow_one (id INT NOT NULL PRIMARY KEY);
-- keeps the migrator (and its lock) busy for a while: MySQL/MariaDB only
SELECT SLEEP(3);

-- fixture: a table and an index (two statements)
CREATE TABLE widgets (
    id BIGINT NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
);

CREATE INDEX idx_widgets_name ON widgets (name);

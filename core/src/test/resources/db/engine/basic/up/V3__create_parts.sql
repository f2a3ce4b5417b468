CREATE TABLE parts (
    id BIGINT NOT NULL AUTO_INCREMENT,
    widget_id BIGINT NOT NULL,
    label VARCHAR(64) NOT NULL DEFAULT 'a;b -- not a comment',
    PRIMARY KEY (id),
    CONSTRAINT fk_parts_widget FOREIGN KEY (widget_id) REFERENCES widgets (id)
);
CREATE INDEX idx_parts_label ON parts (label);

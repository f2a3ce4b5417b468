CREATE TABLE step_one (id INT NOT NULL PRIMARY KEY);
-- the second statement fails: the table it alters does not exist (a test fixes it by naming widgets)
ALTER TABLE no_such_table ADD COLUMN extra INT NULL;
CREATE TABLE step_three (id INT NOT NULL PRIMARY KEY);

DROP TABLE step_three;
ALTER TABLE widgets DROP COLUMN extra;
DROP TABLE step_one;

DROP TABLE slow_one;

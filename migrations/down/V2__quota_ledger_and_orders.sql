DROP TABLE orders;
DROP TABLE quota_ledger;

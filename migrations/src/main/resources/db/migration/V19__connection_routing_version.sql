-- The connector version that derived a connection's bound account (its webhook routing id). When the installed
-- plugin's version differs, the hub derives the account again at start instead of routing by a value an older
-- plugin computed; NULL (connections bound before this column) counts as "derived by another version".
ALTER TABLE connections ADD COLUMN account_derived_by text;

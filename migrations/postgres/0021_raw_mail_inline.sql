-- Each email's and each form's bytes (a few kilobytes) stay in their row,
-- uncompressed, instead of being compressed and cut into pieces in the
-- TOAST table (PostgreSQL's default above 2 kB). Writing an outbox body
-- cost 140 µs of the server's time that way against 50 µs kept whole; the
-- price is disk (about twice, for those bytes). Rows are still moved out of line
-- when one would not fit in a page. Only rows written from now on change.
ALTER TABLE outbox_bodies SET (toast_tuple_target = 8160);
ALTER TABLE evidence SET (toast_tuple_target = 8160);
ALTER TABLE inbound_raw SET (toast_tuple_target = 8160);

-- The per-partner limits (partners.max_open_requests, max_new_requests_per_day) count by partner.
CREATE INDEX requests_partner ON requests(partner_email, created_at);

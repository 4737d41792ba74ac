CREATE TABLE IF NOT EXISTS shop_payment (id bigint PRIMARY KEY, amount_cents bigint NOT NULL);
CREATE TABLE IF NOT EXISTS shop_booking (payment_id bigint PRIMARY KEY, task_id bigint NOT NULL);

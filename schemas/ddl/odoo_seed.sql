-- prestasync sandbox: the rows a fresh Odoo 18.0 database has that prestasync relies on, with Odoo's ids where
-- they are stable (company 1, OdooBot = user 1 / partner 2, admin = user 2 / partner 3). No password or API key
-- is seeded: tests and `sandbox up` provision them (sandbox/odoo/auth.py) so no secret lives in the repository.
-- Timestamps are UTC without time zone, as the ORM writes them.

INSERT INTO res_currency (id, name, full_name, symbol, rounding, decimal_places, active, position, create_uid, create_date, write_uid, write_date) VALUES
    (1, 'EUR', 'Euro', '€', 0.01, 2, TRUE, 'after', 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, 'USD', 'United States dollar', '$', 0.01, 2, TRUE, 'before', 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    -- as every currency of a fresh Odoo but the company's and USD: there, inactive (a shop's second currency)
    (3, 'GBP', 'Pound sterling', '£', 0.01, 2, FALSE, 'before', 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

-- A few countries (Odoo loads all ~250 from base/data/res_country_data.xml; these ids are the twin's own:
-- map PrestaShop countries to them with the Odoo sink's country_ids option).
INSERT INTO res_country (id, name, code, currency_id, phone_code, create_uid, create_date, write_uid, write_date) VALUES
    (1, '{"en_US": "Belgium"}', 'BE', 1, 32, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, '{"en_US": "Germany"}', 'DE', 1, 49, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (3, '{"en_US": "France"}', 'FR', 1, 33, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (4, '{"en_US": "United States"}', 'US', 2, 1, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (5, '{"en_US": "Ireland"}', 'IE', 1, 353, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

-- res_company.partner_id and res_partner.company_id point at each other: partner first, company, then link.
INSERT INTO res_partner (id, name, complete_name, type, is_company, active, lang, tz, email, customer_rank, supplier_rank, partner_share, create_uid, create_date, write_uid, write_date) VALUES
    (1, 'My Company', 'My Company', 'contact', TRUE, TRUE, 'en_US', 'Europe/Paris', 'info@yourcompany.example.com', 0, 0, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, 'OdooBot', 'OdooBot', 'contact', FALSE, FALSE, 'en_US', 'Europe/Paris', 'odoobot@example.com', 0, 0, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (3, 'Mitchell Admin', 'My Company, Mitchell Admin', 'contact', FALSE, TRUE, 'en_US', 'Europe/Paris', 'admin@yourcompany.example.com', 0, 0, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (6, 'prestasync integration', 'My Company, prestasync integration', 'contact', FALSE, TRUE, 'en_US', 'Europe/Paris', 'prestasync@yourcompany.example.com', 0, 0, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

INSERT INTO res_company (id, name, partner_id, currency_id, parent_path, sequence, active, email, stock_move_sms_validation, has_received_warning_stock_sms, create_uid, create_date, write_uid, write_date) VALUES
    (1, 'My Company', 1, 2, '1/', 0, TRUE, 'info@yourcompany.example.com', TRUE, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

-- Sale taxes: the generic chart's 15 % (a fresh Odoo 18's default on every product), then those created
-- in the real Odoo 18 the recordings come from (tests/real/scenario_orders.py, same ids and names): the
-- Irish 23 % and 9 % of the real PrestaShop 8.1.2 demo shop and the simulated shop's 20 %
-- (sandbox/simulator/pricing.py), each excluded from and included in the price, and a 0 %. The company
-- rounds per line (Odoo's default).
INSERT INTO account_tax (id, name, type_tax_use, tax_scope, amount_type, active, company_id, sequence, amount, price_include_override, include_base_amount, create_uid, create_date, write_uid, write_date) VALUES
    (1, '{"en_US": "15%"}', 'sale', NULL, 'percent', TRUE, 1, 1, 15, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, '{"en_US": "15%"}', 'purchase', NULL, 'percent', TRUE, 1, 1, 15, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (3, '{"en_US": "PS 23% (excl)"}', 'sale', NULL, 'percent', TRUE, 1, 10, 23, 'tax_excluded', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (4, '{"en_US": "PS 23% (incl)"}', 'sale', NULL, 'percent', TRUE, 1, 10, 23, 'tax_included', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (5, '{"en_US": "PS 0%"}', 'sale', NULL, 'percent', TRUE, 1, 10, 0, 'tax_excluded', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (6, '{"en_US": "PS 20% (excl)"}', 'sale', NULL, 'percent', TRUE, 1, 10, 20, 'tax_excluded', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (7, '{"en_US": "PS 20% (incl)"}', 'sale', NULL, 'percent', TRUE, 1, 10, 20, 'tax_included', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (8, '{"en_US": "PS 9% (excl)"}', 'sale', NULL, 'percent', TRUE, 1, 10, 9, 'tax_excluded', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (9, '{"en_US": "PS 9% (incl)"}', 'sale', NULL, 'percent', TRUE, 1, 10, 9, 'tax_included', FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');
UPDATE res_company SET account_sale_tax_id = 1, tax_calculation_rounding_method = 'round_per_line', account_price_include = 'tax_excluded' WHERE id = 1;

UPDATE res_partner SET company_id = 1, commercial_partner_id = 1 WHERE id = 1;
UPDATE res_partner SET commercial_partner_id = id WHERE id IN (2, 3, 6);
UPDATE res_partner SET parent_id = 1, company_id = 1 WHERE id IN (3, 6);

-- User 1 is __system__ (inactive, as in Odoo), user 2 the administrator, user 6 the integration user whose
-- writes (write_uid = 6) the loop guard recognises as echoes.
INSERT INTO res_users (id, login, password, partner_id, company_id, active, share, create_uid, create_date, write_uid, write_date) VALUES
    (1, '__system__', NULL, 2, 1, FALSE, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, 'admin', NULL, 3, 1, TRUE, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (6, 'prestasync', NULL, 6, 1, TRUE, FALSE, 2, now() AT TIME ZONE 'utc', 2, now() AT TIME ZONE 'utc');

-- uom.category is not modelled; category 1 stands for "Unit" as in Odoo's uom data.
INSERT INTO uom_uom (id, name, category_id, factor, rounding, active, uom_type, create_uid, create_date, write_uid, write_date) VALUES
    (1, '{"en_US": "Units"}', 1, 1.0, 0.01, TRUE, 'reference', 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

INSERT INTO product_category (id, name, complete_name, parent_id, parent_path, create_uid, create_date, write_uid, write_date) VALUES
    (1, 'All', 'All', NULL, '1/', 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

INSERT INTO product_pricelist (id, name, active, sequence, currency_id, company_id, create_uid, create_date, write_uid, write_date) VALUES
    (1, '{"en_US": "Default"}', TRUE, 16, 2, 1, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

-- Locations: the three top-level views, the virtual partner/inventory locations, then one view + one stock
-- location per warehouse. WH is the web shop's warehouse; STORE a physical shop (its stock is separate).
INSERT INTO stock_location (id, name, complete_name, active, usage, location_id, parent_path, company_id, warehouse_id, replenish_location, create_uid, create_date, write_uid, write_date) VALUES
    (1, 'Physical Locations', 'Physical Locations', TRUE, 'view', NULL, '1/', NULL, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, 'Partners', 'Partners', TRUE, 'view', NULL, '2/', NULL, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (3, 'Virtual Locations', 'Virtual Locations', TRUE, 'view', NULL, '3/', NULL, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (4, 'Vendors', 'Partners/Vendors', TRUE, 'supplier', 2, '2/4/', NULL, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (5, 'Customers', 'Partners/Customers', TRUE, 'customer', 2, '2/5/', NULL, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (6, 'Inventory adjustment', 'Virtual Locations/Inventory adjustment', TRUE, 'inventory', 3, '3/6/', 1, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (7, 'WH', 'WH', TRUE, 'view', 1, '1/7/', 1, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (8, 'Stock', 'WH/Stock', TRUE, 'internal', 7, '1/7/8/', 1, NULL, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (9, 'STORE', 'STORE', TRUE, 'view', 1, '1/9/', 1, NULL, FALSE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (10, 'Stock', 'STORE/Stock', TRUE, 'internal', 9, '1/9/10/', 1, NULL, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

INSERT INTO stock_warehouse (id, name, active, company_id, partner_id, view_location_id, lot_stock_id, code, reception_steps, delivery_steps, sequence, create_uid, create_date, write_uid, write_date) VALUES
    (1, 'My Company', TRUE, 1, 1, 7, 8, 'WH', 'one_step', 'ship_only', 10, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, 'Store', TRUE, 1, 1, 9, 10, 'STORE', 'one_step', 'ship_only', 20, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

UPDATE stock_location SET warehouse_id = 1 WHERE id IN (7, 8);
UPDATE stock_location SET warehouse_id = 2 WHERE id IN (9, 10);

INSERT INTO stock_picking_type (id, name, code, sequence, sequence_code, warehouse_id, company_id, default_location_src_id, default_location_dest_id, active, create_uid, create_date, write_uid, write_date) VALUES
    (1, '{"en_US": "Receipts"}', 'incoming', 1, 'IN', 1, 1, 4, 8, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, '{"en_US": "Delivery Orders"}', 'outgoing', 2, 'OUT', 1, 1, 8, 5, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (3, '{"en_US": "Receipts"}', 'incoming', 1, 'IN', 2, 1, 4, 10, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (4, '{"en_US": "Delivery Orders"}', 'outgoing', 2, 'OUT', 2, 1, 10, 5, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

UPDATE stock_warehouse SET in_type_id = 1, out_type_id = 2 WHERE id = 1;
UPDATE stock_warehouse SET in_type_id = 3, out_type_id = 4 WHERE id = 2;

-- The journals of a fresh Odoo 18.0 with its generic chart (real ids: Bank 6, Cash 7).
INSERT INTO account_journal (id, name, code, type, company_id, sequence, active, create_uid, create_date, write_uid, write_date) VALUES
    (1, '{"en_US": "Customer Invoices"}', 'INV', 'sale', 1, 5, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (2, '{"en_US": "Vendor Bills"}', 'BILL', 'purchase', 1, 6, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (3, '{"en_US": "Miscellaneous Operations"}', 'MISC', 'general', 1, 9, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (6, '{"en_US": "Bank"}', 'BNK1', 'bank', 1, 10, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc'),
    (7, '{"en_US": "Cash"}', 'CSH1', 'cash', 1, 10, TRUE, 1, now() AT TIME ZONE 'utc', 1, now() AT TIME ZONE 'utc');

-- Explicit ids were inserted: move every sequence past them so ORM-style inserts do not collide.
SELECT setval('res_currency_id_seq', (SELECT max(id) FROM res_currency));
SELECT setval('res_country_id_seq', (SELECT max(id) FROM res_country));
SELECT setval('res_partner_id_seq', (SELECT max(id) FROM res_partner));
SELECT setval('res_company_id_seq', (SELECT max(id) FROM res_company));
SELECT setval('account_tax_id_seq', (SELECT max(id) FROM account_tax));
SELECT setval('account_journal_id_seq', (SELECT max(id) FROM account_journal));
SELECT setval('res_users_id_seq', (SELECT max(id) FROM res_users));
SELECT setval('uom_uom_id_seq', (SELECT max(id) FROM uom_uom));
SELECT setval('product_category_id_seq', (SELECT max(id) FROM product_category));
SELECT setval('product_pricelist_id_seq', (SELECT max(id) FROM product_pricelist));
SELECT setval('stock_location_id_seq', (SELECT max(id) FROM stock_location));
SELECT setval('stock_warehouse_id_seq', (SELECT max(id) FROM stock_warehouse));
SELECT setval('stock_picking_type_id_seq', (SELECT max(id) FROM stock_picking_type));

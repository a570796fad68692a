-- prestasync sandbox: the Odoo 18.0 tables that prestasync reads (through Debezium) and writes (through the
-- Odoo API twin). Project-owned DDL written to match what the Odoo ORM creates, checked column by column
-- against the upstream field definitions (tests/unit/sandbox/test_odoo_ddl.py).
--
-- How the ORM lays out a table, reproduced here:
--   * id SERIAL primary key and the log-access columns create_uid/create_date/write_uid/write_date
--     (timestamps WITHOUT time zone holding UTC);
--   * Float fields with `digits` and Monetary fields become an UNSCALED `numeric`; Float without digits float8;
--   * translate=True Char/Text/Html fields are jsonb {"en_US": ..., "fr_FR": ...};
--   * company_dependent fields are jsonb {"<company id>": value} (18.0+; 17.0 keeps them in ir_property);
--   * Selection fields are varchar holding the raw key; Many2one is int4 with a foreign key;
--   * required=True stored fields are NOT NULL.
-- Only a subset of each table's columns is created: the ones prestasync uses plus the required ones.
-- Odoo 17.0 and 19.0 differences are applied by schemas/ddl/odoo.py (odoo_ddl(version=...)).
--
-- Statements are separated by a semicolon at the end of a line; no function bodies (the splitter is simple).

CREATE TABLE res_currency (
    id SERIAL PRIMARY KEY,
    name VARCHAR(3) NOT NULL,
    full_name VARCHAR,
    symbol VARCHAR NOT NULL,
    rounding NUMERIC,
    decimal_places INTEGER,
    active BOOLEAN,
    position VARCHAR,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT res_currency_unique_name UNIQUE (name)
);

-- res.country (base/models/res_country.py): only the columns a partner's country needs. Partners'
-- country_id points here (many2one), so fields_get and read answer like Odoo's.
CREATE TABLE res_country (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    code VARCHAR(2) NOT NULL,
    currency_id INTEGER,
    phone_code INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT res_country_code_uniq UNIQUE (code)
);

CREATE TABLE res_company (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    partner_id INTEGER NOT NULL,
    currency_id INTEGER NOT NULL,
    parent_id INTEGER,
    parent_path VARCHAR,
    sequence INTEGER,
    active BOOLEAN,
    email VARCHAR,
    phone VARCHAR,
    -- stock_sms (auto-installed with stock): a fresh company asks once, by the confirm.stock.sms wizard
    stock_move_sms_validation BOOLEAN,
    has_received_warning_stock_sms BOOLEAN,
    -- account: the default sale tax of new products, and the tax rounding (round_per_line by default)
    account_sale_tax_id INTEGER,
    tax_calculation_rounding_method VARCHAR,
    account_price_include VARCHAR,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT res_company_name_uniq UNIQUE (name)
);

CREATE TABLE res_partner (
    id SERIAL PRIMARY KEY,
    name VARCHAR,
    complete_name VARCHAR,
    company_id INTEGER,
    parent_id INTEGER,
    commercial_partner_id INTEGER,
    commercial_company_name VARCHAR,
    company_name VARCHAR,
    ref VARCHAR,
    lang VARCHAR,
    tz VARCHAR,
    user_id INTEGER,
    vat VARCHAR,
    company_registry VARCHAR,
    website VARCHAR,
    comment TEXT,
    type VARCHAR,
    street VARCHAR,
    street2 VARCHAR,
    zip VARCHAR,
    city VARCHAR,
    state_id INTEGER,
    country_id INTEGER,
    email VARCHAR,
    email_normalized VARCHAR,
    phone VARCHAR,
    mobile VARCHAR,
    function VARCHAR,
    is_company BOOLEAN,
    active BOOLEAN,
    employee BOOLEAN,
    partner_share BOOLEAN,
    color INTEGER,
    customer_rank INTEGER,
    supplier_rank INTEGER,
    barcode JSONB,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT res_partner_check_name CHECK ((type = 'contact' AND name IS NOT NULL) OR (type != 'contact'))
);
CREATE INDEX res_partner__ref_index ON res_partner (ref);
CREATE INDEX res_partner__vat_index ON res_partner (vat);
CREATE INDEX res_partner__parent_id_index ON res_partner (parent_id);
CREATE INDEX res_partner__company_id_index ON res_partner (company_id);

-- res.partner.category (partner tags; base/models/res_partner.py PartnerCategory): a shop customer group in
-- erp.customer_groups = tags (sinks/odoo/customer_groups.py). name is translate=True, so jsonb.
CREATE TABLE res_partner_category (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    color INTEGER,
    parent_id INTEGER REFERENCES res_partner_category (id) ON DELETE CASCADE,
    active BOOLEAN,
    parent_path VARCHAR,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE TABLE res_partner_res_partner_category_rel (
    category_id INTEGER NOT NULL REFERENCES res_partner_category (id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES res_partner (id) ON DELETE CASCADE,
    CONSTRAINT res_partner_res_partner_category_rel_pkey PRIMARY KEY (category_id, partner_id)
);

CREATE TABLE res_users (
    id SERIAL PRIMARY KEY,
    login VARCHAR NOT NULL,
    password VARCHAR,
    partner_id INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    active BOOLEAN DEFAULT TRUE,
    share BOOLEAN,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT res_users_login_key UNIQUE (login)
);

-- res.users.apikeys has _auto = False: Odoo creates it in init() with this exact layout (18.0 adds
-- expiration_date). `index` is the first 8 hex chars of the key, `key` its pbkdf2-sha512 hash.
CREATE TABLE res_users_apikeys (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    user_id INTEGER NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    scope VARCHAR,
    expiration_date TIMESTAMP WITHOUT TIME ZONE,
    index VARCHAR(8) NOT NULL CHECK (char_length(index) = 8),
    key VARCHAR NOT NULL,
    create_date TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc')
);
CREATE INDEX res_users_apikeys_user_id_index_idx ON res_users_apikeys (user_id, index);

CREATE TABLE uom_uom (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    category_id INTEGER NOT NULL,
    factor NUMERIC NOT NULL,
    rounding NUMERIC NOT NULL,
    active BOOLEAN,
    uom_type VARCHAR NOT NULL,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE product_category (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    complete_name VARCHAR,
    parent_id INTEGER,
    parent_path VARCHAR,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX product_category__parent_path_index ON product_category (parent_path);

CREATE TABLE product_template (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    sequence INTEGER,
    description JSONB,
    description_purchase JSONB,
    description_sale JSONB,
    description_picking JSONB,
    description_pickingin JSONB,
    description_pickingout JSONB,
    type VARCHAR NOT NULL,
    service_tracking VARCHAR NOT NULL,
    is_storable BOOLEAN,
    categ_id INTEGER NOT NULL,
    list_price NUMERIC,
    volume NUMERIC,
    weight NUMERIC,
    sale_ok BOOLEAN,
    purchase_ok BOOLEAN,
    uom_id INTEGER NOT NULL,
    uom_po_id INTEGER NOT NULL,
    company_id INTEGER,
    active BOOLEAN,
    color INTEGER,
    default_code VARCHAR,
    has_configurable_attributes BOOLEAN,
    tracking VARCHAR NOT NULL,
    sale_delay INTEGER,
    invoice_policy VARCHAR,
    product_properties JSONB,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX product_template__company_id_index ON product_template (company_id);

CREATE TABLE product_product (
    id SERIAL PRIMARY KEY,
    product_tmpl_id INTEGER NOT NULL,
    default_code VARCHAR,
    barcode VARCHAR,
    active BOOLEAN,
    combination_indices VARCHAR,
    volume NUMERIC,
    weight NUMERIC,
    standard_price JSONB,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX product_product__product_tmpl_id_index ON product_product (product_tmpl_id);
CREATE INDEX product_product__default_code_index ON product_product (default_code);
CREATE INDEX product_product__barcode_index ON product_product (barcode) WHERE barcode IS NOT NULL;

-- Attributes (issue #14 item 1): the columns of a real Odoo 18.0 database (psql \d, 2026-12-02).
-- combination_indices lists product_template_attribute_value ids; they name a value of an attribute.
CREATE TABLE product_attribute (
    id SERIAL PRIMARY KEY,
    sequence INTEGER,
    create_uid INTEGER,
    write_uid INTEGER,
    create_variant VARCHAR NOT NULL,
    display_type VARCHAR NOT NULL,
    name JSONB NOT NULL,
    active BOOLEAN,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX product_attribute__sequence_index ON product_attribute (sequence);

CREATE TABLE product_attribute_value (
    id SERIAL PRIMARY KEY,
    sequence INTEGER,
    attribute_id INTEGER NOT NULL,
    color INTEGER,
    create_uid INTEGER,
    write_uid INTEGER,
    html_color VARCHAR,
    name JSONB NOT NULL,
    is_custom BOOLEAN,
    active BOOLEAN,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    default_extra_price DOUBLE PRECISION
);
CREATE INDEX product_attribute_value__attribute_id_index ON product_attribute_value (attribute_id);

CREATE TABLE product_template_attribute_line (
    id SERIAL PRIMARY KEY,
    product_tmpl_id INTEGER NOT NULL,
    sequence INTEGER,
    attribute_id INTEGER NOT NULL,
    value_count INTEGER,
    create_uid INTEGER,
    write_uid INTEGER,
    active BOOLEAN,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX product_template_attribute_line__product_tmpl_id_index ON product_template_attribute_line (product_tmpl_id);

CREATE TABLE product_template_attribute_value (
    id SERIAL PRIMARY KEY,
    product_attribute_value_id INTEGER NOT NULL,
    attribute_line_id INTEGER NOT NULL,
    product_tmpl_id INTEGER,
    attribute_id INTEGER,
    color INTEGER,
    create_uid INTEGER,
    write_uid INTEGER,
    price_extra NUMERIC,
    ptav_active BOOLEAN,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE UNIQUE INDEX product_template_attribute_value_attribute_value_unique
    ON product_template_attribute_value (attribute_line_id, product_attribute_value_id);
CREATE INDEX product_template_attribute_value__product_tmpl_id_index ON product_template_attribute_value (product_tmpl_id);

CREATE TABLE product_pricelist (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    active BOOLEAN,
    sequence INTEGER,
    currency_id INTEGER NOT NULL,
    company_id INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE product_pricelist_item (
    id SERIAL PRIMARY KEY,
    pricelist_id INTEGER NOT NULL,
    company_id INTEGER,
    currency_id INTEGER,
    date_start TIMESTAMP WITHOUT TIME ZONE,
    date_end TIMESTAMP WITHOUT TIME ZONE,
    min_quantity NUMERIC,
    applied_on VARCHAR NOT NULL,
    display_applied_on VARCHAR NOT NULL,
    categ_id INTEGER,
    product_tmpl_id INTEGER,
    product_id INTEGER,
    base VARCHAR NOT NULL,
    base_pricelist_id INTEGER,
    compute_price VARCHAR NOT NULL,
    fixed_price NUMERIC,
    percent_price DOUBLE PRECISION,
    price_discount NUMERIC,
    price_markup NUMERIC,
    price_round NUMERIC,
    price_surcharge NUMERIC,
    price_min_margin NUMERIC,
    price_max_margin NUMERIC,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX product_pricelist_item__pricelist_id_index ON product_pricelist_item (pricelist_id);
CREATE INDEX product_pricelist_item__compute_price_index ON product_pricelist_item (compute_price);

CREATE TABLE stock_location (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    complete_name VARCHAR,
    active BOOLEAN,
    usage VARCHAR NOT NULL,
    location_id INTEGER,
    parent_path VARCHAR,
    company_id INTEGER,
    warehouse_id INTEGER,
    scrap_location BOOLEAN,
    replenish_location BOOLEAN,
    barcode VARCHAR,
    comment TEXT,
    removal_strategy_id INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT stock_location_barcode_company_uniq UNIQUE (barcode, company_id)
);
CREATE INDEX stock_location__usage_index ON stock_location (usage);
CREATE INDEX stock_location__location_id_index ON stock_location (location_id);
CREATE INDEX stock_location__parent_path_index ON stock_location (parent_path);

CREATE TABLE stock_warehouse (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    active BOOLEAN,
    company_id INTEGER NOT NULL,
    partner_id INTEGER,
    view_location_id INTEGER NOT NULL,
    lot_stock_id INTEGER NOT NULL,
    code VARCHAR(5) NOT NULL,
    reception_steps VARCHAR NOT NULL,
    delivery_steps VARCHAR NOT NULL,
    sequence INTEGER,
    in_type_id INTEGER,
    out_type_id INTEGER,
    int_type_id INTEGER,
    pick_type_id INTEGER,
    pack_type_id INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE,
    CONSTRAINT stock_warehouse_warehouse_name_uniq UNIQUE (name, company_id),
    CONSTRAINT stock_warehouse_warehouse_code_uniq UNIQUE (code, company_id)
);

-- Not in the reference column tables (stock.picking.type is outside the researched field set): minimal.
CREATE TABLE stock_picking_type (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    code VARCHAR NOT NULL,
    sequence INTEGER,
    sequence_code VARCHAR NOT NULL,
    warehouse_id INTEGER,
    company_id INTEGER NOT NULL,
    default_location_src_id INTEGER,
    default_location_dest_id INTEGER,
    active BOOLEAN,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE stock_quant (
    id SERIAL PRIMARY KEY,
    product_id INTEGER NOT NULL,
    company_id INTEGER,
    location_id INTEGER NOT NULL,
    storage_category_id INTEGER,
    lot_id INTEGER,
    package_id INTEGER,
    owner_id INTEGER,
    quantity NUMERIC,
    reserved_quantity NUMERIC NOT NULL,
    in_date TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    inventory_quantity NUMERIC,
    inventory_diff_quantity NUMERIC,
    inventory_date DATE,
    inventory_quantity_set BOOLEAN,
    user_id INTEGER,
    accounting_date DATE,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX stock_quant__product_id_index ON stock_quant (product_id);
CREATE INDEX stock_quant__location_id_index ON stock_quant (location_id);

CREATE TABLE stock_picking (
    id SERIAL PRIMARY KEY,
    name VARCHAR,
    origin VARCHAR,
    note TEXT,
    backorder_id INTEGER,
    move_type VARCHAR NOT NULL,
    state VARCHAR,
    priority VARCHAR,
    scheduled_date TIMESTAMP WITHOUT TIME ZONE,
    date_deadline TIMESTAMP WITHOUT TIME ZONE,
    date TIMESTAMP WITHOUT TIME ZONE,
    date_done TIMESTAMP WITHOUT TIME ZONE,
    location_id INTEGER NOT NULL,
    location_dest_id INTEGER NOT NULL,
    picking_type_id INTEGER NOT NULL,
    partner_id INTEGER,
    company_id INTEGER,
    user_id INTEGER,
    owner_id INTEGER,
    printed BOOLEAN,
    is_locked BOOLEAN,
    sale_id INTEGER,
    carrier_id INTEGER,
    carrier_price DOUBLE PRECISION,
    carrier_tracking_ref VARCHAR,
    weight NUMERIC,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX stock_picking__state_index ON stock_picking (state);
CREATE INDEX stock_picking__picking_type_id_index ON stock_picking (picking_type_id);
CREATE INDEX stock_picking__sale_id_index ON stock_picking (sale_id) WHERE sale_id IS NOT NULL;

CREATE TABLE stock_move (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    sequence INTEGER,
    priority VARCHAR,
    date TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    company_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    product_uom_qty NUMERIC NOT NULL,
    product_uom INTEGER NOT NULL,
    product_qty NUMERIC,
    quantity NUMERIC,
    picked BOOLEAN,
    location_id INTEGER NOT NULL,
    location_dest_id INTEGER NOT NULL,
    location_final_id INTEGER,
    partner_id INTEGER,
    picking_id INTEGER,
    picking_type_id INTEGER,
    state VARCHAR,
    origin VARCHAR,
    reference VARCHAR,
    procure_method VARCHAR NOT NULL,
    is_inventory BOOLEAN,
    price_unit DOUBLE PRECISION,
    sale_line_id INTEGER,
    warehouse_id INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX stock_move__picking_id_index ON stock_move (picking_id);
CREATE INDEX stock_move__product_id_index ON stock_move (product_id);

CREATE TABLE sale_order (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    state VARCHAR,
    locked BOOLEAN,
    client_order_ref VARCHAR,
    origin VARCHAR,
    reference VARCHAR,
    company_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    partner_invoice_id INTEGER NOT NULL,
    partner_shipping_id INTEGER NOT NULL,
    date_order TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    validity_date DATE,
    commitment_date TIMESTAMP WITHOUT TIME ZONE,
    currency_id INTEGER,
    currency_rate NUMERIC,
    pricelist_id INTEGER,
    payment_term_id INTEGER,
    fiscal_position_id INTEGER,
    journal_id INTEGER,
    user_id INTEGER,
    team_id INTEGER,
    note TEXT,
    amount_untaxed NUMERIC,
    amount_tax NUMERIC,
    amount_total NUMERIC,
    invoice_status VARCHAR,
    require_signature BOOLEAN,
    require_payment BOOLEAN,
    prepayment_percent DOUBLE PRECISION,
    access_token VARCHAR,
    warehouse_id INTEGER,
    picking_policy VARCHAR NOT NULL,
    delivery_status VARCHAR,
    effective_date TIMESTAMP WITHOUT TIME ZONE,
    carrier_id INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX sale_order__partner_id_index ON sale_order (partner_id);
CREATE INDEX sale_order__state_index ON sale_order (state);
CREATE INDEX sale_order__client_order_ref_index ON sale_order (client_order_ref);

CREATE TABLE sale_order_line (
    id SERIAL PRIMARY KEY,
    order_id INTEGER NOT NULL,
    sequence INTEGER,
    company_id INTEGER,
    currency_id INTEGER,
    order_partner_id INTEGER,
    salesman_id INTEGER,
    state VARCHAR,
    display_type VARCHAR,
    is_downpayment BOOLEAN,
    is_expense BOOLEAN,
    is_delivery BOOLEAN,
    name TEXT NOT NULL,
    product_id INTEGER,
    product_uom_qty NUMERIC NOT NULL,
    product_uom INTEGER,
    linked_line_id INTEGER,
    price_unit NUMERIC NOT NULL,
    technical_price_unit DOUBLE PRECISION,
    discount NUMERIC,
    price_subtotal NUMERIC,
    price_tax DOUBLE PRECISION,
    price_total NUMERIC,
    price_reduce_taxexcl NUMERIC,
    price_reduce_taxinc NUMERIC,
    customer_lead DOUBLE PRECISION NOT NULL,
    qty_delivered_method VARCHAR,
    qty_delivered NUMERIC,
    qty_invoiced NUMERIC,
    qty_to_invoice NUMERIC,
    invoice_status VARCHAR,
    untaxed_amount_invoiced NUMERIC,
    untaxed_amount_to_invoice NUMERIC,
    analytic_distribution JSONB,
    warehouse_id INTEGER,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX sale_order_line__order_id_index ON sale_order_line (order_id);

-- account.tax (the percent taxes the twin computes; price_include is computed from the override and the
-- company's account_price_include, as in Odoo 18) and sale.order.line's tax_id many2many
CREATE TABLE account_tax (
    id SERIAL PRIMARY KEY,
    name JSONB NOT NULL,
    type_tax_use VARCHAR NOT NULL,
    tax_scope VARCHAR,
    amount_type VARCHAR NOT NULL,
    active BOOLEAN,
    company_id INTEGER NOT NULL,
    sequence INTEGER,
    amount NUMERIC NOT NULL,
    price_include_override VARCHAR,
    include_base_amount BOOLEAN,
    description JSONB,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE account_tax_sale_order_line_rel (
    sale_order_line_id INTEGER NOT NULL REFERENCES sale_order_line (id) ON DELETE CASCADE,
    account_tax_id INTEGER NOT NULL REFERENCES account_tax (id) ON DELETE CASCADE,
    CONSTRAINT account_tax_sale_order_line_rel_pkey PRIMARY KEY (sale_order_line_id, account_tax_id)
);

CREATE TABLE account_move (
    id SERIAL PRIMARY KEY,
    name VARCHAR,
    ref VARCHAR,
    date DATE NOT NULL,
    state VARCHAR NOT NULL,
    move_type VARCHAR NOT NULL,
    auto_post VARCHAR NOT NULL,
    journal_id INTEGER NOT NULL,
    company_id INTEGER,
    currency_id INTEGER NOT NULL,
    partner_id INTEGER,
    commercial_partner_id INTEGER,
    partner_shipping_id INTEGER,
    invoice_date DATE,
    invoice_date_due DATE,
    invoice_origin VARCHAR,
    invoice_user_id INTEGER,
    invoice_partner_display_name VARCHAR,
    payment_reference VARCHAR,
    payment_state VARCHAR,
    narration TEXT,
    amount_untaxed NUMERIC,
    amount_tax NUMERIC,
    amount_total NUMERIC,
    amount_residual NUMERIC,
    amount_untaxed_signed NUMERIC,
    amount_tax_signed NUMERIC,
    amount_total_signed NUMERIC,
    amount_total_in_currency_signed NUMERIC,
    amount_residual_signed NUMERIC,
    is_move_sent BOOLEAN,
    posted_before BOOLEAN,
    checked BOOLEAN,
    sequence_prefix VARCHAR,
    sequence_number INTEGER,
    team_id INTEGER,
    access_token VARCHAR,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);
CREATE INDEX account_move__move_type_index ON account_move (move_type);
CREATE INDEX account_move__partner_id_index ON account_move (partner_id);
CREATE UNIQUE INDEX account_move_unique_name ON account_move (name, journal_id) WHERE (state = 'posted' AND name != '/');

-- delivery.carrier (module delivery), account.journal and account.payment: the columns of a real Odoo 18.0
-- the twin serves (a subset of the real tables', same names and types).
CREATE TABLE delivery_carrier (
    id SERIAL PRIMARY KEY,
    sequence INTEGER,
    company_id INTEGER,
    product_id INTEGER NOT NULL,
    delivery_type VARCHAR NOT NULL,
    integration_level VARCHAR,
    invoice_policy VARCHAR NOT NULL,
    name JSONB NOT NULL,
    active BOOLEAN,
    fixed_price DOUBLE PRECISION,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE account_journal (
    id SERIAL PRIMARY KEY,
    sequence INTEGER,
    currency_id INTEGER,
    company_id INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    name JSONB NOT NULL,
    active BOOLEAN,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE account_payment (
    id SERIAL PRIMARY KEY,
    move_id INTEGER,
    journal_id INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    currency_id INTEGER,
    partner_id INTEGER,
    name VARCHAR,
    state VARCHAR NOT NULL,
    payment_type VARCHAR NOT NULL,
    partner_type VARCHAR NOT NULL,
    memo VARCHAR,
    payment_reference VARCHAR,
    date DATE NOT NULL,
    amount NUMERIC,
    is_reconciled BOOLEAN,
    is_matched BOOLEAN,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

-- Debezium's signalling table (incremental snapshots for re-sync and `reconcile --fix`); not an Odoo table.
-- Transient wizards answered by action methods (the real tables, without their mail.composer.mixin
-- template relation and the confirm.stock.sms <-> stock.picking many2many).
CREATE TABLE sale_order_cancel (
    id SERIAL PRIMARY KEY,
    template_id INTEGER,
    author_id INTEGER,
    order_id INTEGER NOT NULL REFERENCES sale_order (id) ON DELETE CASCADE,
    lang VARCHAR,
    subject VARCHAR,
    body TEXT,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE confirm_stock_sms (
    id SERIAL PRIMARY KEY,
    create_uid INTEGER,
    create_date TIMESTAMP WITHOUT TIME ZONE,
    write_uid INTEGER,
    write_date TIMESTAMP WITHOUT TIME ZONE
);

CREATE TABLE debezium_signal (
    id VARCHAR(42) PRIMARY KEY,
    type VARCHAR(32) NOT NULL,
    data VARCHAR(2048) NULL
);

-- Foreign keys, added after every table exists (the ORM does the same: Many2one constraints come last).
-- ON DELETE follows each field's `ondelete` (Odoo's default is SET NULL; required Many2one default RESTRICT).
ALTER TABLE res_company ADD CONSTRAINT res_company_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES res_partner (id) ON DELETE RESTRICT;
ALTER TABLE res_company ADD CONSTRAINT res_company_currency_id_fkey FOREIGN KEY (currency_id) REFERENCES res_currency (id) ON DELETE RESTRICT;
ALTER TABLE res_partner ADD CONSTRAINT res_partner_company_id_fkey FOREIGN KEY (company_id) REFERENCES res_company (id) ON DELETE SET NULL;
ALTER TABLE res_partner ADD CONSTRAINT res_partner_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES res_partner (id) ON DELETE SET NULL;
ALTER TABLE res_partner ADD CONSTRAINT res_partner_commercial_partner_id_fkey FOREIGN KEY (commercial_partner_id) REFERENCES res_partner (id) ON DELETE SET NULL;
ALTER TABLE res_users ADD CONSTRAINT res_users_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES res_partner (id) ON DELETE RESTRICT;
ALTER TABLE res_users ADD CONSTRAINT res_users_company_id_fkey FOREIGN KEY (company_id) REFERENCES res_company (id) ON DELETE RESTRICT;
ALTER TABLE product_category ADD CONSTRAINT product_category_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES product_category (id) ON DELETE CASCADE;
ALTER TABLE product_template ADD CONSTRAINT product_template_categ_id_fkey FOREIGN KEY (categ_id) REFERENCES product_category (id) ON DELETE RESTRICT;
ALTER TABLE product_template ADD CONSTRAINT product_template_uom_id_fkey FOREIGN KEY (uom_id) REFERENCES uom_uom (id) ON DELETE RESTRICT;
ALTER TABLE product_template ADD CONSTRAINT product_template_uom_po_id_fkey FOREIGN KEY (uom_po_id) REFERENCES uom_uom (id) ON DELETE RESTRICT;
ALTER TABLE product_template ADD CONSTRAINT product_template_company_id_fkey FOREIGN KEY (company_id) REFERENCES res_company (id) ON DELETE SET NULL;
ALTER TABLE product_product ADD CONSTRAINT product_product_product_tmpl_id_fkey FOREIGN KEY (product_tmpl_id) REFERENCES product_template (id) ON DELETE CASCADE;
ALTER TABLE product_pricelist ADD CONSTRAINT product_pricelist_currency_id_fkey FOREIGN KEY (currency_id) REFERENCES res_currency (id) ON DELETE RESTRICT;
ALTER TABLE product_pricelist_item ADD CONSTRAINT product_pricelist_item_pricelist_id_fkey FOREIGN KEY (pricelist_id) REFERENCES product_pricelist (id) ON DELETE CASCADE;
ALTER TABLE product_pricelist_item ADD CONSTRAINT product_pricelist_item_product_tmpl_id_fkey FOREIGN KEY (product_tmpl_id) REFERENCES product_template (id) ON DELETE CASCADE;
ALTER TABLE product_pricelist_item ADD CONSTRAINT product_pricelist_item_product_id_fkey FOREIGN KEY (product_id) REFERENCES product_product (id) ON DELETE CASCADE;
ALTER TABLE product_pricelist_item ADD CONSTRAINT product_pricelist_item_categ_id_fkey FOREIGN KEY (categ_id) REFERENCES product_category (id) ON DELETE CASCADE;
ALTER TABLE stock_location ADD CONSTRAINT stock_location_location_id_fkey FOREIGN KEY (location_id) REFERENCES stock_location (id) ON DELETE CASCADE;
ALTER TABLE stock_location ADD CONSTRAINT stock_location_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES stock_warehouse (id) ON DELETE SET NULL;
ALTER TABLE stock_warehouse ADD CONSTRAINT stock_warehouse_company_id_fkey FOREIGN KEY (company_id) REFERENCES res_company (id) ON DELETE RESTRICT;
ALTER TABLE stock_warehouse ADD CONSTRAINT stock_warehouse_view_location_id_fkey FOREIGN KEY (view_location_id) REFERENCES stock_location (id) ON DELETE RESTRICT;
ALTER TABLE stock_warehouse ADD CONSTRAINT stock_warehouse_lot_stock_id_fkey FOREIGN KEY (lot_stock_id) REFERENCES stock_location (id) ON DELETE RESTRICT;
ALTER TABLE stock_picking_type ADD CONSTRAINT stock_picking_type_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES stock_warehouse (id) ON DELETE CASCADE;
ALTER TABLE stock_quant ADD CONSTRAINT stock_quant_product_id_fkey FOREIGN KEY (product_id) REFERENCES product_product (id) ON DELETE RESTRICT;
ALTER TABLE stock_quant ADD CONSTRAINT stock_quant_location_id_fkey FOREIGN KEY (location_id) REFERENCES stock_location (id) ON DELETE RESTRICT;
ALTER TABLE stock_picking ADD CONSTRAINT stock_picking_picking_type_id_fkey FOREIGN KEY (picking_type_id) REFERENCES stock_picking_type (id) ON DELETE RESTRICT;
ALTER TABLE stock_picking ADD CONSTRAINT stock_picking_location_id_fkey FOREIGN KEY (location_id) REFERENCES stock_location (id) ON DELETE RESTRICT;
ALTER TABLE stock_picking ADD CONSTRAINT stock_picking_location_dest_id_fkey FOREIGN KEY (location_dest_id) REFERENCES stock_location (id) ON DELETE RESTRICT;
ALTER TABLE stock_picking ADD CONSTRAINT stock_picking_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES res_partner (id) ON DELETE SET NULL;
ALTER TABLE stock_picking ADD CONSTRAINT stock_picking_sale_id_fkey FOREIGN KEY (sale_id) REFERENCES sale_order (id) ON DELETE SET NULL;
ALTER TABLE stock_move ADD CONSTRAINT stock_move_picking_id_fkey FOREIGN KEY (picking_id) REFERENCES stock_picking (id) ON DELETE SET NULL;
ALTER TABLE stock_move ADD CONSTRAINT stock_move_product_id_fkey FOREIGN KEY (product_id) REFERENCES product_product (id) ON DELETE RESTRICT;
ALTER TABLE sale_order ADD CONSTRAINT sale_order_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES res_partner (id) ON DELETE RESTRICT;
ALTER TABLE sale_order ADD CONSTRAINT sale_order_partner_invoice_id_fkey FOREIGN KEY (partner_invoice_id) REFERENCES res_partner (id) ON DELETE RESTRICT;
ALTER TABLE sale_order ADD CONSTRAINT sale_order_partner_shipping_id_fkey FOREIGN KEY (partner_shipping_id) REFERENCES res_partner (id) ON DELETE RESTRICT;
ALTER TABLE sale_order ADD CONSTRAINT sale_order_company_id_fkey FOREIGN KEY (company_id) REFERENCES res_company (id) ON DELETE RESTRICT;
ALTER TABLE sale_order ADD CONSTRAINT sale_order_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES stock_warehouse (id) ON DELETE SET NULL;
ALTER TABLE sale_order_line ADD CONSTRAINT sale_order_line_order_id_fkey FOREIGN KEY (order_id) REFERENCES sale_order (id) ON DELETE CASCADE;
ALTER TABLE sale_order_line ADD CONSTRAINT sale_order_line_product_id_fkey FOREIGN KEY (product_id) REFERENCES product_product (id) ON DELETE RESTRICT;
ALTER TABLE account_move ADD CONSTRAINT account_move_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES res_partner (id) ON DELETE RESTRICT;
ALTER TABLE account_move ADD CONSTRAINT account_move_currency_id_fkey FOREIGN KEY (currency_id) REFERENCES res_currency (id) ON DELETE RESTRICT;

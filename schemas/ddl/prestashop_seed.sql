-- Reference rows every PrestaShop install has and prestasync relies on ({prefix} as in prestashop.sql).
-- Values follow install-dev/data/xml (1.7.8.6) and the English language pack: order states 1..13 in
-- installation order (PS_OS_* configuration ids), customer groups 1 Visitor / 2 Guest / 3 Customer,
-- country 8 = FR (PS_COUNTRY_DEFAULT), carrier 1 (PS_CARRIER_DEFAULT), categories 1 Root / 2 Home.
-- INSERT IGNORE keeps the seed idempotent.

INSERT IGNORE INTO `{prefix}shop_group` (`id_shop_group`, `name`, `color`, `share_customer`, `share_order`, `share_stock`, `active`, `deleted`)
VALUES (1, 'Default', '', 0, 0, 0, 1, 0);

INSERT IGNORE INTO `{prefix}shop` (`id_shop`, `id_shop_group`, `name`, `color`, `id_category`, `theme_name`, `active`, `deleted`)
VALUES (1, 1, 'prestasync sandbox', '', 2, 'classic', 1, 0);

INSERT IGNORE INTO `{prefix}lang` (`id_lang`, `name`, `active`, `iso_code`, `language_code`, `locale`, `date_format_lite`, `date_format_full`, `is_rtl`)
VALUES (1, 'English (English)', 1, 'en', 'en-us', 'en-US', 'm/d/Y', 'm/d/Y H:i:s', 0);

INSERT IGNORE INTO `{prefix}currency` (`id_currency`, `name`, `iso_code`, `numeric_iso_code`, `precision`, `conversion_rate`, `deleted`, `active`, `unofficial`, `modified`)
VALUES (1, 'Euro', 'EUR', '978', 2, 1.000000, 0, 1, 0, 0);

INSERT IGNORE INTO `{prefix}country` (`id_country`, `id_zone`, `id_currency`, `iso_code`, `call_prefix`, `active`, `contains_states`, `need_identification_number`, `need_zip_code`, `zip_code_format`, `display_tax_label`)
VALUES (8, 1, 0, 'FR', 33, 1, 0, 0, 1, 'NNNNN', 1);

INSERT IGNORE INTO `{prefix}group` (`id_group`, `reduction`, `price_display_method`, `show_prices`, `date_add`, `date_upd`)
VALUES (1, 0.00, 0, 1, NOW(), NOW()), (2, 0.00, 0, 1, NOW(), NOW()), (3, 0.00, 0, 1, NOW(), NOW());

INSERT IGNORE INTO `{prefix}group_lang` (`id_group`, `id_lang`, `name`)
VALUES (1, 1, 'Visitor'), (2, 1, 'Guest'), (3, 1, 'Customer');

INSERT IGNORE INTO `{prefix}order_state` (`id_order_state`, `invoice`, `send_email`, `module_name`, `color`, `unremovable`, `hidden`, `logable`, `delivery`, `shipped`, `paid`, `pdf_invoice`, `pdf_delivery`, `deleted`)
VALUES
  (1, 0, 1, 'ps_checkpayment', '#34209E', 1, 0, 0, 0, 0, 0, 0, 0, 0),
  (2, 1, 1, NULL, '#3498D8', 1, 0, 1, 0, 0, 1, 1, 0, 0),
  (3, 1, 1, NULL, '#3498D8', 1, 0, 1, 1, 0, 1, 0, 0, 0),
  (4, 1, 1, NULL, '#01B887', 1, 0, 1, 1, 1, 1, 0, 0, 0),
  (5, 1, 0, NULL, '#01B887', 1, 0, 1, 1, 1, 1, 0, 0, 0),
  (6, 0, 1, NULL, '#2C3E50', 1, 0, 0, 0, 0, 0, 0, 0, 0),
  (7, 1, 1, NULL, '#01B887', 1, 0, 0, 0, 0, 0, 0, 0, 0),
  (8, 0, 1, NULL, '#E74C3C', 1, 0, 0, 0, 0, 0, 0, 0, 0),
  (9, 1, 1, NULL, '#3498D8', 1, 0, 0, 0, 0, 1, 0, 0, 0),
  (10, 0, 1, 'ps_wirepayment', '#34209E', 1, 0, 0, 0, 0, 0, 0, 0, 0),
  (11, 1, 1, NULL, '#3498D8', 1, 0, 1, 0, 0, 1, 0, 0, 0),
  (12, 0, 1, NULL, '#34209E', 1, 0, 0, 0, 0, 0, 0, 0, 0),
  (13, 0, 0, 'ps_cashondelivery', '#34209E', 1, 0, 0, 0, 0, 0, 0, 0, 0);

INSERT IGNORE INTO `{prefix}order_state_lang` (`id_order_state`, `id_lang`, `name`, `template`)
VALUES
  (1, 1, 'Awaiting check payment', 'cheque'),
  (2, 1, 'Payment accepted', 'payment'),
  (3, 1, 'Processing in progress', 'preparation'),
  (4, 1, 'Shipped', 'shipped'),
  (5, 1, 'Delivered', ''),
  (6, 1, 'Canceled', 'order_canceled'),
  (7, 1, 'Refunded', 'refund'),
  (8, 1, 'Payment error', 'payment_error'),
  (9, 1, 'On backorder (paid)', 'outofstock'),
  (10, 1, 'Awaiting bank wire payment', 'bankwire'),
  (11, 1, 'Remote payment accepted', 'payment'),
  (12, 1, 'On backorder (not paid)', 'outofstock'),
  (13, 1, 'Awaiting Cash On Delivery validation', 'cashondelivery');

INSERT IGNORE INTO `{prefix}carrier` (`id_carrier`, `id_reference`, `name`, `url`, `active`, `deleted`, `shipping_handling`, `range_behavior`, `is_module`, `is_free`, `shipping_external`, `need_range`, `shipping_method`, `position`, `max_width`, `max_height`, `max_depth`, `max_weight`, `grade`)
VALUES (1, 1, '0', '', 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);

INSERT IGNORE INTO `{prefix}category` (`id_category`, `id_parent`, `id_shop_default`, `level_depth`, `nleft`, `nright`, `active`, `date_add`, `date_upd`, `position`, `is_root_category`)
VALUES (1, 0, 1, 0, 1, 4, 1, NOW(), NOW(), 0, 0), (2, 1, 1, 1, 2, 3, 1, NOW(), NOW(), 0, 1);

INSERT IGNORE INTO `{prefix}category_lang` (`id_category`, `id_shop`, `id_lang`, `name`, `description`, `link_rewrite`)
VALUES (1, 1, 1, 'Root', '', 'root'), (2, 1, 1, 'Home', '', 'home');

INSERT IGNORE INTO `{prefix}configuration` (`id_configuration`, `id_shop_group`, `id_shop`, `name`, `value`, `date_add`, `date_upd`)
VALUES
  (1, NULL, NULL, 'PS_LANG_DEFAULT', '1', NOW(), NOW()),
  (2, NULL, NULL, 'PS_CURRENCY_DEFAULT', '1', NOW(), NOW()),
  (3, NULL, NULL, 'PS_COUNTRY_DEFAULT', '8', NOW(), NOW()),
  (4, NULL, NULL, 'PS_SHOP_DEFAULT', '1', NOW(), NOW()),
  (5, NULL, NULL, 'PS_CARRIER_DEFAULT', '1', NOW(), NOW()),
  (6, NULL, NULL, 'PS_STOCK_MANAGEMENT', '1', NOW(), NOW()),
  (7, NULL, NULL, 'PS_UNIDENTIFIED_GROUP', '1', NOW(), NOW()),
  (8, NULL, NULL, 'PS_GUEST_GROUP', '2', NOW(), NOW()),
  (9, NULL, NULL, 'PS_CUSTOMER_GROUP', '3', NOW(), NOW()),
  (10, NULL, NULL, 'PS_ROOT_CATEGORY', '1', NOW(), NOW()),
  (11, NULL, NULL, 'PS_HOME_CATEGORY', '2', NOW(), NOW()),
  (12, NULL, NULL, 'PS_WEBSERVICE', '1', NOW(), NOW()),
  (13, NULL, NULL, 'PS_OS_PAYMENT', '2', NOW(), NOW()),
  (14, NULL, NULL, 'PS_OS_SHIPPING', '4', NOW(), NOW()),
  (15, NULL, NULL, 'PS_OS_DELIVERED', '5', NOW(), NOW()),
  (16, NULL, NULL, 'PS_OS_CANCELED', '6', NOW(), NOW()),
  (17, NULL, NULL, 'PS_OS_WS_PAYMENT', '11', NOW(), NOW()),
  -- the installer's default zone: the shop's DATETIMEs are Paris wall-clock times (DESIGN.md 2.7)
  (18, NULL, NULL, 'PS_TIMEZONE', 'Europe/Paris', NOW(), NOW());

<?php
// Scenario helper (not part of PrestaShop, run by tests/real/scenario_prestashop.py): fill a cart the
// way the front-office checkout does (Cart::updateQty, a delivery option) and print the cart's own
// total with tax and shipping. The scenario then POSTs /api/orders with that total: Order::addWs runs
// the payment module's validateOrder() inside the webservice, so the shop's own side effects
// (stock_available decrement, order_carrier row, history row) happen as for a customer's order.
// (validateOrder needs the Symfony container, which a CLI script does not boot.)
// argv: shop root, host:port, JSON {"customer": id, "address": id, "carrier": id, "lines": [[id_product,
// id_product_attribute, qty], ...], optional "currency": id, "vouchers": [id_cart_rule, ...]}.
// Prints {"id_cart", "total_paid", "secure_key"}.
[, $root, $host, $json] = $argv;
$_SERVER['HTTP_HOST'] = $host; $_SERVER['SERVER_NAME'] = explode(':', $host)[0];
$_SERVER['REQUEST_URI'] = '/'; $_SERVER['REQUEST_METHOD'] = 'GET'; $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
require $root . '/config/config.inc.php';
$in = json_decode($json, true);
$context = Context::getContext();
$customer = new Customer((int) $in['customer']);
$context->customer = $customer;
$context->currency = new Currency((int) ($in['currency'] ?? Configuration::get('PS_CURRENCY_DEFAULT')));
$context->language = new Language((int) Configuration::get('PS_LANG_DEFAULT'));
$cart = new Cart();
$cart->id_customer = $customer->id;
$cart->id_address_delivery = (int) $in['address'];
$cart->id_address_invoice = (int) $in['address'];
$cart->id_currency = $context->currency->id;
$cart->id_lang = $context->language->id;
$cart->id_carrier = (int) $in['carrier'];
$cart->secure_key = $customer->secure_key;
$cart->id_shop = 1; $cart->id_shop_group = 1;
if (!$cart->add()) { fwrite(STDERR, "cart not saved\n"); exit(1); }
$context->cart = $cart;
foreach ($in['lines'] as [$product, $attribute, $qty]) {
    if ($cart->updateQty((int) $qty, (int) $product, (int) $attribute) !== true) {
        fwrite(STDERR, "product $product/$attribute x$qty not added\n"); exit(1);
    }
}
foreach ($in['vouchers'] ?? [] as $rule) {  // as the cart page's "Have a promo code?"
    if (!$cart->addCartRule((int) $rule)) { fwrite(STDERR, "voucher $rule not added\n"); exit(1); }
}
$cart->setDeliveryOption([(int) $in['address'] => (int) $in['carrier'] . ',']);
$cart->update();
$total = (float) $cart->getOrderTotal(true, Cart::BOTH);
echo json_encode(['id_cart' => (int) $cart->id, 'total_paid' => sprintf('%.6F', $total),
    'secure_key' => $customer->secure_key]) . "\n";

<?php
// Scenario helper (not part of PrestaShop, run by tests/real/trade_shop.py): a back-office line edit of an
// order, as the order page's "edit product" does it: the back office's own command
// (UpdateProductInOrderCommand through the Symfony command bus, booted as bin/console boots it), which
// rewrites the order_detail row and recomputes the order's totals (OrderAmountUpdater).
// argv: shop root, host:port, JSON {"order": id, "detail": id_order_detail, "quantity": n,
// "price_tax_excl": "..", "price_tax_incl": ".."}. Prints {"total_paid_tax_incl": ...}.
[, $root, $host, $json] = $argv;
$_SERVER['HTTP_HOST'] = $host; $_SERVER['SERVER_NAME'] = explode(':', $host)[0];
$_SERVER['REQUEST_URI'] = '/'; $_SERVER['REQUEST_METHOD'] = 'GET'; $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
define('_PS_ADMIN_DIR_', $root . '/admin-test');
require $root . '/config/config.inc.php';
$in = json_decode($json, true);
$kernel = new AppKernel('prod', false);
$kernel->boot();
$context = Context::getContext();
$context->employee = new Employee(1);
$order = new Order((int) $in['order']);
$context->currency = new Currency((int) $order->id_currency);
$context->cart = new Cart((int) $order->id_cart);
$context->customer = new Customer((int) $order->id_customer);
$bus = $kernel->getContainer()->get('prestashop.core.command_bus');
$bus->handle(new PrestaShop\PrestaShop\Core\Domain\Order\Product\Command\UpdateProductInOrderCommand(
    (int) $in['order'], (int) $in['detail'], (string) $in['price_tax_incl'], (string) $in['price_tax_excl'],
    (int) $in['quantity']));
$order = new Order((int) $in['order']);
echo json_encode(['total_paid_tax_incl' => $order->total_paid_tax_incl, 'total_paid_tax_excl' => $order->total_paid_tax_excl]) . "\n";

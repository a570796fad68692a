<?php
// Scenario helper (not part of PrestaShop, run by tests/real/trade_shop.py and scenario_prestashop.py): a
// back-office edit of an order through the back office's own commands on the Symfony command bus (booted
// as bin/console boots it), as employee 1:
// - a line edit, as the order page's "edit product" does it (UpdateProductInOrderCommand: rewrites the
//   order_detail row, recomputes the totals through OrderAmountUpdater). JSON {"order": id, "detail":
//   id_order_detail, "quantity": n, "price_tax_excl": "..", "price_tax_incl": ".."}; prints the totals.
// - a state change, as the status dropdown does it (UpdateOrderStatusCommand: a history row with the
//   employee, orders.current_state). JSON {"order": id, "state": id_order_state}; prints
//   {"current_state": n, "id_order_history": n} (the order's newest history row).
// argv: shop root, host:port, JSON.
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
if (isset($in['state'])) {
    try {
        $bus->handle(new PrestaShop\PrestaShop\Core\Domain\Order\Command\UpdateOrderStatusCommand(
            (int) $in['order'], (int) $in['state']));
    } catch (Exception $e) {
        // a shop without a mail server: the e-mail fails after the state and its history row are saved
        fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
    }
    $order = new Order((int) $in['order']);
    $newest = (int) Db::getInstance()->getValue(
        'SELECT MAX(id_order_history) FROM ' . _DB_PREFIX_ . 'order_history WHERE id_order = ' . (int) $order->id);
    echo json_encode(['current_state' => (int) $order->current_state, 'id_order_history' => $newest]) . "\n";
    exit(0);
}
$bus->handle(new PrestaShop\PrestaShop\Core\Domain\Order\Product\Command\UpdateProductInOrderCommand(
    (int) $in['order'], (int) $in['detail'], (string) $in['price_tax_incl'], (string) $in['price_tax_excl'],
    (int) $in['quantity']));
$order = new Order((int) $in['order']);
echo json_encode(['total_paid_tax_incl' => $order->total_paid_tax_incl, 'total_paid_tax_excl' => $order->total_paid_tax_excl]) . "\n";

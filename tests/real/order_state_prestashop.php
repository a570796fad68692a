<?php
// Scenario helper (not part of PrestaShop, run by tests/real/scenario_prestashop.py): a back-office change of
// an order's state, as the order page's status dropdown does it: the back office's own command
// (UpdateOrderStatusCommand through the Symfony command bus, booted as bin/console boots it) as employee 1,
// which writes an order_history row with the employee and moves orders.current_state.
// argv: shop root, host:port, JSON {"order": id, "state": id_order_state}.
// Prints {"current_state": n, "id_order_history": n} (the newest history row of the order).
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
$context->customer = new Customer((int) $order->id_customer);
$bus = $kernel->getContainer()->get('prestashop.core.command_bus');
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

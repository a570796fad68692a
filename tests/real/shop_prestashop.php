<?php
// Scenario helper (not part of PrestaShop, run by tests/real/scenario_trade.py): what a merchant or a
// customer does in the shop's back office / front office before a checkout, through the shop's own
// classes (ObjectModel::add, as the back-office controllers save them), one action per call.
// argv: shop root, host:port, action, JSON. Prints one JSON line.
//   product  {"reference", "name", "price", "tax_rules_group", "quantity"} -> {"id_product"}
//   currency {"iso_code", "conversion_rate"}  (enabled for the payment modules, as Payment > Preferences)
//                                             -> {"id_currency"}
//   voucher  {"code", "percent" | "amount", "free_shipping"}            -> {"id_cart_rule"}
//   customer {"email", "firstname", "lastname", "guest", "address": {...}} -> {"id_customer", "id_address"}
//   ws_state {"state"}  the first state of a webservice order (PS_OS_WS_PAYMENT) -> {}
//   register {"id_customer"}  (Customer::transformToCustomer: the order page's "save my details") -> {}
[, $root, $host, $action, $json] = $argv;
$_SERVER['HTTP_HOST'] = $host; $_SERVER['SERVER_NAME'] = explode(':', $host)[0];
$_SERVER['REQUEST_URI'] = '/'; $_SERVER['REQUEST_METHOD'] = 'GET'; $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
require $root . '/config/config.inc.php';
$in = json_decode($json, true);
$lang = (int) Configuration::get('PS_LANG_DEFAULT');
function fail($what) { fwrite(STDERR, "$what\n"); exit(1); }
function langs($text) { $out = []; foreach (Language::getIDs(false) as $id) { $out[$id] = $text; } return $out; }

if ($action === 'product') {
    $p = new Product();
    $p->reference = $in['reference'];
    $p->name = langs($in['name']);
    $p->link_rewrite = langs(Tools::str2url($in['name']));
    $p->price = (float) $in['price'];
    $p->id_tax_rules_group = (int) $in['tax_rules_group'];
    $p->id_category_default = (int) Configuration::get('PS_HOME_CATEGORY');
    $p->active = true; $p->available_for_order = true; $p->show_price = true; $p->minimal_quantity = 1;
    if (!$p->add()) { fail('product not saved'); }
    $p->addToCategories([$p->id_category_default]);
    StockAvailable::setQuantity($p->id, 0, (int) $in['quantity']);
    echo json_encode(['id_product' => (int) $p->id]) . "\n";
} elseif ($action === 'currency') {
    $id = (int) Currency::getIdByIsoCode($in['iso_code'], 0, true);
    $c = new Currency($id ?: null);
    $c->iso_code = $in['iso_code'];
    $c->conversion_rate = (float) $in['conversion_rate'];
    $c->active = true; $c->deleted = false; $c->precision = 2;
    $c->name = langs($in['iso_code']); $c->symbol = langs($in['iso_code']);
    if (!($id ? $c->update() : $c->add())) { fail('currency not saved'); }
    foreach (['ps_wirepayment', 'ps_checkpayment'] as $name) {
        $module = Module::getInstanceByName($name);
        Db::getInstance()->execute('INSERT IGNORE INTO `' . _DB_PREFIX_ . 'module_currency` (id_module, id_shop, id_currency) VALUES ('
            . (int) $module->id . ', 1, ' . (int) $c->id . ')');
    }
    echo json_encode(['id_currency' => (int) $c->id]) . "\n";
} elseif ($action === 'voucher') {
    $r = new CartRule();
    $r->code = $in['code'];
    $r->name = langs($in['code']);
    $r->date_from = date('Y-m-d H:i:s', time() - 86400); $r->date_to = date('Y-m-d H:i:s', time() + 86400 * 30);
    $r->quantity = 1000; $r->quantity_per_user = 1000; $r->active = true; $r->highlight = false;
    $r->reduction_percent = (float) ($in['percent'] ?? 0);
    $r->reduction_amount = (float) ($in['amount'] ?? 0);
    $r->reduction_tax = true; $r->reduction_currency = (int) Configuration::get('PS_CURRENCY_DEFAULT');
    $r->free_shipping = (bool) ($in['free_shipping'] ?? false);
    if (!$r->add()) { fail('voucher not saved'); }
    echo json_encode(['id_cart_rule' => (int) $r->id]) . "\n";
} elseif ($action === 'customer') {
    $c = new Customer();
    $c->email = $in['email']; $c->firstname = $in['firstname']; $c->lastname = $in['lastname'];
    $c->is_guest = (bool) $in['guest'];
    $c->id_default_group = (int) Configuration::get($c->is_guest ? 'PS_GUEST_GROUP' : 'PS_CUSTOMER_GROUP');
    $c->passwd = \PrestaShop\PrestaShop\Adapter\ServiceLocator::get('\\PrestaShop\\PrestaShop\\Core\\Crypto\\Hashing')->hash(Tools::passwdGen(16));
    $c->id_lang = $lang; $c->active = true;
    if (!$c->add()) { fail('customer not saved'); }
    $c->updateGroup([$c->id_default_group]);
    $a = new Address();
    foreach ($in['address'] as $field => $value) { $a->$field = $value; }
    $a->id_customer = $c->id; $a->firstname = $c->firstname; $a->lastname = $c->lastname;
    if (!$a->add()) { fail('address not saved'); }
    echo json_encode(['id_customer' => (int) $c->id, 'id_address' => (int) $a->id]) . "\n";
} elseif ($action === 'register') {
    $c = new Customer((int) $in['id_customer']);
    if (!$c->transformToCustomer($lang, 'Pr3sta$ync-' . Tools::passwdGen(8))) { fail('guest not transformed'); }
    echo json_encode(['id_customer' => (int) $c->id, 'is_guest' => (int) $c->is_guest]) . "\n";
} elseif ($action === 'ws_state') {
    Configuration::updateValue('PS_OS_WS_PAYMENT', (int) $in['state']);
    echo json_encode(['PS_OS_WS_PAYMENT' => (int) Configuration::get('PS_OS_WS_PAYMENT')]) . "\n";
} else {
    fail("unknown action $action");
}

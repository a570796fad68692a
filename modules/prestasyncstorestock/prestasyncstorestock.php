<?php
/**
 * prestasync store stock: on the product page, the quantity per store from prestasync's lookup
 * (docs/STORE_STOCK.md), asked by the customer's browser, never the ERP. The block is rendered in
 * displayProductAdditionalInfo, which PrestaShop 1.7.8 - 9 renders again when the customer picks
 * another combination (the product page's refresh); views/js/storestock.js then asks again.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

require_once __DIR__ . '/src/LookupUrl.php';

use Prestasync\StoreStock\LookupUrl;

class Prestasyncstorestock extends Module
{
    public const CONFIG_URL = 'PRESTASYNC_STORESTOCK_URL';

    public function __construct()
    {
        $this->name = 'prestasyncstorestock';
        $this->tab = 'front_office_features';
        $this->version = '0.1.0';
        $this->author = 'prestasync';
        $this->need_instance = 0;
        $this->ps_versions_compliancy = ['min' => '1.7.8.0', 'max' => '9.99.99'];
        $this->bootstrap = true;
        parent::__construct();
        $this->displayName = $this->l('Store stock (prestasync)');
        $this->description = $this->l('Shows on the product page which store has the item now.');
    }

    public function install(): bool
    {
        return parent::install()
            && $this->registerHook('displayProductAdditionalInfo')
            && $this->registerHook('actionFrontControllerSetMedia')
            && Configuration::updateValue(self::CONFIG_URL, 'http://127.0.0.1:9311');
    }

    public function uninstall(): bool
    {
        return Configuration::deleteByName(self::CONFIG_URL) && parent::uninstall();
    }

    public function getContent(): string
    {
        $message = '';
        if (Tools::isSubmit('submitPrestasyncStoreStock')) {
            $url = trim((string) Tools::getValue(self::CONFIG_URL));
            if (LookupUrl::isValidBase($url)) {
                Configuration::updateValue(self::CONFIG_URL, $url);
                $message = $this->displayConfirmation($this->l('Saved.'));
            } else {
                $message = $this->displayError($this->l('The lookup address must be an http(s) URL without a query.'));
            }
        }
        $helper = new HelperForm();
        $helper->module = $this;
        $helper->name_controller = $this->name;
        $helper->token = Tools::getAdminTokenLite('AdminModules');
        $helper->currentIndex = AdminController::$currentIndex . '&configure=' . $this->name;
        $helper->submit_action = 'submitPrestasyncStoreStock';
        $helper->fields_value = [self::CONFIG_URL => Configuration::get(self::CONFIG_URL)];

        return $message . $helper->generateForm([[
            'form' => [
                'legend' => ['title' => $this->displayName],
                'input' => [[
                    'type' => 'text',
                    'name' => self::CONFIG_URL,
                    'label' => $this->l('Lookup address (store_stock.host:port as the browser reaches it)'),
                    'required' => true,
                ]],
                'submit' => ['title' => $this->l('Save')],
            ],
        ]]);
    }

    public function hookActionFrontControllerSetMedia(): void
    {
        if ($this->context->controller->php_self !== 'product') {
            return;
        }
        $this->context->controller->registerJavascript(
            'prestasync-storestock',
            'modules/' . $this->name . '/views/js/storestock.js',
            ['position' => 'bottom', 'priority' => 200]
        );
    }

    /**
     * $params['product'] is the product page's ProductLazyArray (PrestaShop 1.7.8 - 9; an array in some
     * themes): its `reference` is the product's, its `reference_to_display` the chosen combination's
     * own reference when it has one, else the product's (what the lookup knows a SKU by).
     *
     * @param array{product?: mixed} $params
     */
    public function hookDisplayProductAdditionalInfo(array $params): string
    {
        $product = $params['product'] ?? null;
        if (!is_array($product) && !($product instanceof ArrayAccess)) {
            return '';
        }
        $reference = (string) ($product['reference'] ?? '');
        $combinationReference = isset($product['reference_to_display']) ? (string) $product['reference_to_display'] : null;
        $url = LookupUrl::build((string) Configuration::get(self::CONFIG_URL), $reference, $combinationReference);
        if ($url === null) {
            return '';
        }
        $this->context->smarty->assign(['prestasync_storestock_url' => $url]);

        return $this->display(__FILE__, 'views/templates/hook/storestock.tpl');
    }
}

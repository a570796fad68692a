{* filled by views/js/storestock.js from prestasync's store-stock lookup; hidden until it answers with
   stores (a product the lookup does not know, a lookup down, a page without the script: nothing shown) *}
<div class="prestasync-storestock" hidden
     data-url="{$prestasync_storestock_url|escape:'html':'UTF-8'}"
     data-out-of-stock="{l s='out of stock' mod='prestasyncstorestock'}"
     data-unknown="{l s='not known' mod='prestasyncstorestock'}">
  <p class="prestasync-storestock-title">{l s='In our stores' mod='prestasyncstorestock'}</p>
  <ul class="prestasync-storestock-list"></ul>
</div>

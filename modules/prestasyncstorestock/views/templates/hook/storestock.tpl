{* filled by views/js/storestock.js from prestasync's store-stock lookup *}
<div class="prestasync-storestock" data-url="{$prestasync_storestock_url|escape:'html':'UTF-8'}">
  <p class="prestasync-storestock-title">{l s='In our stores' mod='prestasyncstorestock'}</p>
  <ul class="prestasync-storestock-list"></ul>
</div>

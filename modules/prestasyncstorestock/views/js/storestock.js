/* Asks prestasync's store-stock lookup for the block(s) rendered by displayProductAdditionalInfo,
 * again after PrestaShop re-renders them for another combination ('updatedProduct': the theme
 * replaces .product-additional-info with the block of the picked combination, then emits it). The
 * browser's cache honours the lookup's Cache-Control and revalidates with its ETag. */
(function () {
  // quantity: a decimal string ("3", "2.5"), null while the store has no figure yet (unknown, not 0).
  // age_s is the time since the store's quantity last changed in the ERP, not how stale it is: the
  // figure's date is shown as a tooltip only, never as "n minutes old"
  function text(block, row) {
    if (row.quantity === null) {
      return row.store + ': ' + block.getAttribute('data-unknown');
    }
    if (Number(row.quantity) <= 0) {
      return row.store + ': ' + block.getAttribute('data-out-of-stock');
    }
    return row.store + ': ' + row.quantity;
  }

  function fill(block) {
    var list = block.querySelector('.prestasync-storestock-list');
    fetch(block.getAttribute('data-url'), { credentials: 'omit' })
      .then(function (reply) { return reply.ok ? reply.json() : { stores: [] }; })
      .then(function (answer) {
        list.innerHTML = '';
        answer.stores.forEach(function (row) {
          var item = document.createElement('li');
          item.textContent = text(block, row);
          if (row.as_of) {
            item.title = row.as_of;
          }
          list.appendChild(item);
        });
        // a product the lookup does not know (404) shows nothing rather than an empty heading
        block.hidden = answer.stores.length === 0;
      })
      .catch(function () { block.hidden = true; });
  }

  function fillAll() {
    document.querySelectorAll('.prestasync-storestock').forEach(fill);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', fillAll);
  } else {
    fillAll();
  }
  if (typeof prestashop !== 'undefined' && prestashop.on) {
    prestashop.on('updatedProduct', fillAll);
  }
})();

/* Asks prestasync's store-stock lookup for the block(s) rendered by displayProductAdditionalInfo,
 * again after PrestaShop re-renders them for another combination ('updatedProduct'). The browser's
 * cache honours the lookup's Cache-Control and revalidates with its ETag. */
(function () {
  // age_s is the time since the store's quantity last changed in the ERP, not how stale it is: shown
  // as a tooltip only, never as "n minutes old"
  function text(row) {
    return row.store + ': ' + (row.quantity === null ? '?' : row.quantity);
  }

  function fill(block) {
    var list = block.querySelector('.prestasync-storestock-list');
    fetch(block.getAttribute('data-url'), { credentials: 'omit' })
      .then(function (reply) { return reply.ok ? reply.json() : { stores: [] }; })
      .then(function (answer) {
        list.innerHTML = '';
        answer.stores.forEach(function (row) {
          var item = document.createElement('li');
          item.textContent = text(row);
          if (row.as_of) {
            item.title = row.as_of;
          }
          list.appendChild(item);
        });
      })
      .catch(function () { list.innerHTML = ''; });
  }

  function fillAll() {
    document.querySelectorAll('.prestasync-storestock').forEach(fill);
  }

  document.addEventListener('DOMContentLoaded', fillAll);
  if (typeof prestashop !== 'undefined' && prestashop.on) {
    prestashop.on('updatedProduct', fillAll);
  }
})();

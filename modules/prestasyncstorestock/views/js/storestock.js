/* Asks prestasync's store-stock lookup for the block(s) rendered by displayProductAdditionalInfo,
 * again after PrestaShop re-renders them for another combination ('updatedProduct'). The browser's
 * cache honours the lookup's Cache-Control and revalidates with its ETag. */
(function () {
  function text(row) {
    if (row.quantity === null) {
      return row.store + ': ?';
    }
    var minutes = Math.round(row.age_s / 60);
    return row.store + ': ' + row.quantity + (minutes > 0 ? ' (' + minutes + ' min)' : '');
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

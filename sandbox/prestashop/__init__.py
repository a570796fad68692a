"""PrestaShop Webservice twin (``/api/...``) backed by the PrestaShop tables in MariaDB."""

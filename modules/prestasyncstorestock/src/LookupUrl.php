<?php
/**
 * The store-stock lookup's address for one product or combination (docs/STORE_STOCK.md).
 * Pure: no PrestaShop class, so PHPUnit tests it without a shop.
 */

namespace Prestasync\StoreStock;

final class LookupUrl
{
    /**
     * A configured base URL the browser may call: http(s), a host, no query or fragment.
     */
    public static function isValidBase(string $base): bool
    {
        $parts = parse_url(trim($base));
        if ($parts === false || !isset($parts['scheme'], $parts['host'])) {
            return false;
        }

        return in_array(strtolower($parts['scheme']), ['http', 'https'], true)
            && !isset($parts['query'])
            && !isset($parts['fragment'])
            && !isset($parts['user']);
    }

    /**
     * GET <base>/store-stock/<reference>[?combination=<combination reference>]; null when there is
     * nothing to ask (no reference: the lookup knows products by reference only).
     */
    public static function build(string $base, string $reference, ?string $combinationReference = null): ?string
    {
        $reference = trim($reference);
        if ($reference === '' || !self::isValidBase($base)) {
            return null;
        }
        $url = rtrim(trim($base), '/') . '/store-stock/' . rawurlencode($reference);
        $combination = $combinationReference === null ? '' : trim($combinationReference);
        if ($combination !== '' && $combination !== $reference) {
            $url .= '?' . http_build_query(['combination' => $combination], '', '&', PHP_QUERY_RFC3986);
        }

        return $url;
    }
}

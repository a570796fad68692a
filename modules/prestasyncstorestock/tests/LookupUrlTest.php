<?php

use PHPUnit\Framework\TestCase;
use Prestasync\StoreStock\LookupUrl;

require_once __DIR__ . '/../src/LookupUrl.php';

final class LookupUrlTest extends TestCase
{
    public function testAProductAndACombination(): void
    {
        $this->assertSame(
            'https://stock.example/store-stock/TSHIRT',
            LookupUrl::build('https://stock.example/', 'TSHIRT')
        );
        $this->assertSame(
            'https://stock.example/store-stock/TSHIRT?combination=TSHIRT-M',
            LookupUrl::build('https://stock.example', 'TSHIRT', 'TSHIRT-M')
        );
        // a combination without a reference of its own (PrestaShop leaves it empty) or equal to the product's
        $this->assertSame('https://stock.example/store-stock/TSHIRT', LookupUrl::build('https://stock.example', 'TSHIRT', ''));
        $this->assertSame('https://stock.example/store-stock/TSHIRT', LookupUrl::build('https://stock.example', 'TSHIRT', 'TSHIRT'));
    }

    public function testReferencesAreEncoded(): void
    {
        $this->assertSame(
            'http://127.0.0.1:9311/store-stock/A%2FB%20C?combination=A%2FB%20C%26M',
            LookupUrl::build('http://127.0.0.1:9311', 'A/B C', 'A/B C&M')
        );
    }

    public function testNothingToAskOrABadBase(): void
    {
        $this->assertNull(LookupUrl::build('https://stock.example', '  '));
        $this->assertNull(LookupUrl::build('javascript:alert(1)', 'TSHIRT'));
        $this->assertNull(LookupUrl::build('https://stock.example/?x=1', 'TSHIRT'));
        $this->assertNull(LookupUrl::build('https://user:pw@stock.example', 'TSHIRT'));
        $this->assertFalse(LookupUrl::isValidBase('stock.example'));
        $this->assertTrue(LookupUrl::isValidBase('http://127.0.0.1:9311'));
    }
}

"""Odoo domain normalisation and SQL compilation (pure: no database)."""

from __future__ import annotations

import pytest

from sandbox.odoo.domain import DomainCompiler, normalize
from sandbox.odoo.registry import build_model
from sandbox.odoo.specs import MODEL_SPECS

pytestmark = pytest.mark.unit

PARTNER_COLUMNS = [
    ("id", "int4", True),
    ("name", "varchar", False),
    ("ref", "varchar", False),
    ("active", "bool", False),
    ("parent_id", "int4", False),
    ("city", "varchar", False),
    ("customer_rank", "int4", False),
    ("complete_name", "varchar", False),
]
TEMPLATE_COLUMNS = [("id", "int4", True), ("name", "jsonb", True), ("list_price", "numeric", False)]


@pytest.fixture
def compiler() -> DomainCompiler:
    models = {
        "res.partner": build_model(MODEL_SPECS["res.partner"], PARTNER_COLUMNS),
        "product.template": build_model(MODEL_SPECS["product.template"], TEMPLATE_COLUMNS),
    }
    return DomainCompiler(models, lang="fr_FR")


def test_normalize_adds_implicit_and() -> None:
    assert normalize([("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]) == [
        "&",
        "&",
        ("a", "=", 1),
        ("b", "=", 2),
        ("c", "=", 3),
    ]
    assert normalize(["|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]) == [
        "&",
        "|",
        ("a", "=", 1),
        ("b", "=", 2),
        ("c", "=", 3),
    ]
    assert normalize([]) == []


@pytest.mark.parametrize("bad", [["|", ("a", "=", 1)], ["&"], "not a list", [("a", "=", 1), "x"]])
def test_normalize_rejects_malformed_domains(bad: object) -> None:
    with pytest.raises(ValueError):
        normalize(bad)  # type: ignore[arg-type]


def test_operators_compile_to_odoo_semantics(compiler: DomainCompiler) -> None:
    partner = compiler.models["res.partner"]

    def where(domain: list[object]) -> tuple[str, list[object]]:
        return compiler.where(partner, domain, "t", active_test=False)

    assert where([("ref", "=", "A")]) == ('"t"."ref" = %s', ["A"])
    assert where([("ref", "!=", "A")]) == ('("t"."ref" != %s OR "t"."ref" IS NULL)', ["A"])
    assert where([("ref", "=", False)]) == ('("t"."ref" IS NULL OR "t"."ref" = \'\')', [])
    assert where([("ref", "ilike", "ab")]) == ('"t"."ref" ILIKE %s', ["%ab%"])
    assert where([("ref", "=like", "ab%")]) == ('"t"."ref" LIKE %s', ["ab%"])
    assert where([("ref", "not ilike", "ab")]) == ('("t"."ref" NOT ILIKE %s OR "t"."ref" IS NULL)', ["%ab%"])
    assert where([("customer_rank", ">", "0")]) == ('"t"."customer_rank" > %s', [0])
    assert where([("parent_id", "in", [1, False])]) == ('("t"."parent_id" = ANY(%s) OR "t"."parent_id" IS NULL)', [[1]])
    assert where([("parent_id", "in", [])]) == ("FALSE", [])
    assert where([("parent_id", "not in", [3])]) == ('("t"."parent_id" != ALL(%s) OR "t"."parent_id" IS NULL)', [[3]])
    assert where([("active", "=", False)]) == ('("t"."active" IS NULL OR "t"."active" = FALSE)', [])
    sql, params = where(["|", ("ref", "=", "A"), "!", ("city", "=", "Lyon")])
    assert sql == '("t"."ref" = %s OR (NOT "t"."city" = %s))' and params == ["A", "Lyon"]


def test_active_records_only_unless_the_domain_mentions_active(compiler: DomainCompiler) -> None:
    partner = compiler.models["res.partner"]
    sql, _ = compiler.where(partner, [("ref", "=", "A")], "t")
    assert sql.startswith('("t"."active" = TRUE AND')
    sql, _ = compiler.where(partner, [("active", "in", [True, False])], "t")
    assert '"t"."active" = TRUE AND' not in sql


def test_dotted_path_and_many2one_name_become_subselects(compiler: DomainCompiler) -> None:
    partner = compiler.models["res.partner"]
    sql, params = compiler.where(partner, [("parent_id.city", "=", "Lyon")], "t", active_test=False)
    assert sql == '"t"."parent_id" IN (SELECT "s1".id FROM "res_partner" AS "s1" WHERE "s1"."city" = %s)'
    assert params == ["Lyon"]
    sql, params = compiler.where(partner, [("parent_id", "ilike", "acme")], "t", active_test=False)
    assert '"s2"."complete_name" ILIKE %s' in sql and params == ["%acme%"]


def test_translated_field_compares_in_context_language_with_en_us_fallback(compiler: DomainCompiler) -> None:
    template = compiler.models["product.template"]
    sql, params = compiler.where(template, [("name", "=", "Chaise")], "t", active_test=False)
    assert sql == 'COALESCE("t"."name"->>\'fr_FR\', "t"."name"->>\'en_US\') = %s' and params == ["Chaise"]


def test_unknown_fields_and_operators_raise_value_error(compiler: DomainCompiler) -> None:
    partner = compiler.models["res.partner"]
    with pytest.raises(ValueError, match=r"Invalid field res\.partner\.nope"):
        compiler.where(partner, [("nope", "=", 1)], "t")
    with pytest.raises(ValueError, match="Invalid operator"):
        compiler.where(partner, [("ref", "child_of", 1)], "t")


def test_order_by_validates_fields_and_always_ends_with_id(compiler: DomainCompiler) -> None:
    partner = compiler.models["res.partner"]
    assert compiler.order_by(partner, "ref desc, city", "t") == '"t"."ref" DESC, "t"."city" ASC, "t".id ASC'
    assert compiler.order_by(partner, None, "t") == '"t"."complete_name" ASC, "t".id DESC'
    with pytest.raises(ValueError):
        compiler.order_by(partner, "ref; DROP TABLE x", "t")
    with pytest.raises(ValueError):
        compiler.order_by(partner, "nope", "t")


def test_lang_from_context_is_validated_before_being_inlined() -> None:
    assert DomainCompiler({}, lang="fr_FR'; --").lang == "en_US"
    assert DomainCompiler({}, lang="sr@latin").lang == "sr@latin"

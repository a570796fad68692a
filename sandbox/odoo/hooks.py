"""Per-model ORM behaviour after the SQL: stored computed columns, side effects, display names, delete rules.

Each hook mirrors a piece of Odoo 17/18 model code whose result Debezium will see in the tables: the
variant an Odoo template always has, a product's template ``default_code``, sale line and order amounts,
a partner's ``complete_name``. Defaults and create-time computes are in ``sandbox.odoo.defaults``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.odoo.defaults import partner_computed, prepare_create
from sandbox.odoo.defaults_sales import sale_line_amounts
from sandbox.odoo.errors import UserError
from sandbox.odoo.fields import Field, Model

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env

__all__ = [
    "after_create",
    "after_unlink",
    "after_write",
    "before_unlink",
    "computed_values",
    "display_names",
    "prepare_create",
    "prepare_write",
]


def after_create(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    if model.name == "product.template" and not env.context.get("create_product_product"):
        code = vals.get("default_code") or None
        env.create(env.registry["product.product"], [{"product_tmpl_id": new_id, "default_code": code or False}])
    elif model.name == "product.product":
        _template_default_code(env, [new_id])
    elif model.name == "sale.order.line":
        _order_amounts(env, [vals["order_id"]])
    elif model.name == "res.partner" and vals.get("parent_id"):
        _first_contact_address(env, new_id, int(vals["parent_id"]))
    elif model.name == "stock.warehouse":
        env.cr.execute(
            "UPDATE stock_location SET warehouse_id = %s WHERE parent_path LIKE %s",
            (new_id, f"%/{vals['view_location_id']}/%"),
        )


ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")


def _first_contact_address(env: Env, child_id: int, parent_id: int) -> None:
    """res.partner ``_handle_first_contact_creation``: the first child of an address-less root or
    company gives the parent its address (recorded: real Odoo 18, tests/fixtures/real/odoo-18.0/sink)."""
    columns = ", ".join(ADDRESS_FIELDS)
    rows = env.fetch(
        f"SELECT p.is_company, p.parent_id, {columns}, "
        "(SELECT count(*) FROM res_partner c WHERE c.parent_id = p.id) FROM res_partner p "
        "WHERE p.id = %s",
        (parent_id,),
    )
    child = env.fetch(f"SELECT {columns} FROM res_partner WHERE id = %s", (child_id,))
    if not rows or not child:
        return
    is_company, grand_parent, *address, children = rows[0]
    if (is_company or not grand_parent) and any(child[0]) and not any(address) and children == 1:
        env.write(env.registry["res.partner"], [parent_id], dict(zip(ADDRESS_FIELDS, child[0], strict=True)))


def _template_default_code(env: Env, product_ids: list[int]) -> None:
    """A template's stored default_code is its single variant's (Odoo's _compute_default_code)."""
    env.cr.execute(
        "UPDATE product_template t SET default_code = p.default_code FROM product_product p "
        "WHERE p.product_tmpl_id = t.id AND p.id = ANY(%s) AND t.default_code IS DISTINCT FROM p.default_code "
        "AND (SELECT count(*) FROM product_product v WHERE v.product_tmpl_id = t.id) = 1",
        (product_ids,),
    )


def _order_amounts(env: Env, order_ids: list[int]) -> None:
    env.cr.execute(
        "UPDATE sale_order o SET amount_untaxed = s.untaxed, amount_tax = s.total - s.untaxed, amount_total = s.total "
        "FROM (SELECT o2.id, COALESCE(sum(l.price_subtotal), 0) AS untaxed, COALESCE(sum(l.price_total), 0) AS total "
        "      FROM sale_order o2 LEFT JOIN sale_order_line l ON l.order_id = o2.id WHERE o2.id = ANY(%s) "
        "      GROUP BY o2.id) s WHERE s.id = o.id",
        (order_ids,),
    )


# -- write / unlink --------------------------------------------------------------------------
def prepare_write(env: Env, model: Model, ids: list[int], vals: dict[str, Any]) -> dict[str, Any]:
    if model.name == "sale.order.line" and {"price_unit", "discount", "product_uom_qty", "tax_id"} & set(vals):
        for line_id in ids:
            current = env.read(
                model, [line_id], ["order_id", "price_unit", "discount", "product_uom_qty", "tax_id"], "_classic_write"
            )[0]
            merged = {**current, **vals}
            if "tax_id" not in vals:
                del merged["tax_id"]
            sale_line_amounts(env, merged, current["tax_id"])
            env.cr.execute(
                "UPDATE sale_order_line SET price_unit = %s, price_subtotal = %s, price_tax = %s, price_total = %s, "
                "price_reduce_taxexcl = %s, price_reduce_taxinc = %s WHERE id = %s",
                (
                    merged["price_unit"],
                    merged["price_subtotal"],
                    merged["price_tax"],
                    merged["price_total"],
                    merged["price_reduce_taxexcl"],
                    merged["price_reduce_taxinc"],
                    line_id,
                ),
            )
    if model.name == "res.partner" and {"name", "parent_id", "email", "is_company"} & set(vals):
        for partner_id in ids:
            merged = {
                **env.read(model, [partner_id], ["name", "parent_id", "email", "is_company"], "_classic_write")[0],
                **vals,
            }
            partner_computed(env, partner_id, merged)
            vals.update({k: merged[k] for k in ("complete_name", "commercial_partner_id", "email_normalized")})
    return vals


def after_write(env: Env, model: Model, ids: list[int], vals: dict[str, Any]) -> None:
    if model.name == "sale.order.line":
        orders = [r[0] for r in env.fetch("SELECT DISTINCT order_id FROM sale_order_line WHERE id = ANY(%s)", (ids,))]
        _order_amounts(env, orders)
    elif model.name == "product.product" and "default_code" in vals:
        _template_default_code(env, ids)
    elif model.name == "sale.order" and "state" in vals:
        env.cr.execute("UPDATE sale_order_line SET state = %s WHERE order_id = ANY(%s)", (vals["state"], ids))


def before_unlink(env: Env, model: Model, ids: list[int]) -> None:
    if model.name == "sale.order.line":  # delivery: unlinking a delivery line clears the order's carrier
        env.cr.execute(
            "UPDATE sale_order SET carrier_id = NULL WHERE id IN "
            "(SELECT order_id FROM sale_order_line WHERE id = ANY(%s) AND is_delivery)",
            (ids,),
        )
    if model.name == "sale.order":
        states = {r[0] for r in env.fetch("SELECT state FROM sale_order WHERE id = ANY(%s)", (ids,))}
        if states - {"draft", "cancel"}:
            raise UserError("You can not delete a sent quotation or a confirmed sales order. You must first cancel it.")


def after_unlink(env: Env, model: Model, ids: list[int]) -> None:
    if model.name == "product.product":
        # Odoo deletes a template together with its last variant.
        env.cr.execute(
            "DELETE FROM product_template t WHERE NOT EXISTS "
            "(SELECT 1 FROM product_product p WHERE p.product_tmpl_id = t.id)"
        )


# -- read side ---------------------------------------------------------------------------------
def computed_values(env: Env, model: Model, f: Field, ids: list[int]) -> list[Any]:
    if f.type == "one2many":
        rows = env.fetch(
            f'SELECT "{f.inverse_name}", id FROM "{env.registry[f.relation or ""].table}" '
            f'WHERE "{f.inverse_name}" = ANY(%s) ORDER BY id',
            (ids,),
        )
        children: dict[int, list[int]] = {i: [] for i in ids}
        for parent, child in rows:
            children[parent].append(child)
        return [children[i] for i in ids]
    if f.type == "many2many":
        # ordered as the comodel orders (Odoo's Many2many read searches the comodel: partner tags by name)
        comodel = env.registry[f.relation or ""]
        compiler = env.compiler()
        related: dict[int, list[int]] = {i: [] for i in ids}
        for own, other in env.fetch(
            f'SELECT "r"."{f.column1}", "r"."{f.column2}" FROM "{f.relation_table}" AS "r" '
            f'JOIN {compiler.from_clause(comodel, "t")} ON "t".id = "r"."{f.column2}" '
            f'WHERE "r"."{f.column1}" = ANY(%s) ORDER BY "r"."{f.column1}", {compiler.order_by(comodel, None, "t")}',
            (ids,),
        ):
            related[own].append(other)
        return [related[i] for i in ids]
    if (model.name, f.name) == ("account.tax", "price_include"):
        included = dict(
            env.fetch(
                "SELECT t.id, COALESCE(t.price_include_override, c.account_price_include, 'tax_excluded')"
                " = 'tax_included' "
                "FROM account_tax t LEFT JOIN res_company c ON c.id = t.company_id WHERE t.id = ANY(%s)",
                (ids,),
            )
        )
        return [bool(included.get(i)) for i in ids]
    if f.name == "display_name":
        names = env.display_names(model, ids)
        return [names.get(i, False) for i in ids]
    sql = _COMPUTED_SQL.get((model.name, f.name))
    if sql is None:
        return [False for _ in ids]
    values = dict(env.fetch(sql, (ids,)))
    return [float(values.get(i) or 0) for i in ids]


_COMPUTED_SQL = {
    ("product.product", "lst_price"): "SELECT p.id, t.list_price FROM product_product p "
    "JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.id = ANY(%s)",
    ("product.product", "qty_available"): "SELECT q.product_id, sum(q.quantity) FROM stock_quant q "
    "JOIN stock_location l ON l.id = q.location_id WHERE l.usage = 'internal' AND q.product_id = ANY(%s) "
    "GROUP BY q.product_id",
    (
        "stock.quant",
        "available_quantity",
    ): "SELECT id, quantity - reserved_quantity FROM stock_quant WHERE id = ANY(%s)",
    ("stock.quant", "inventory_quantity_auto_apply"): "SELECT id, quantity FROM stock_quant WHERE id = ANY(%s)",
}


def display_names(env: Env, model: Model, ids: list[int]) -> dict[int, str] | None:
    if model.name == "product.product":
        rows = env.read(model, ids, ["default_code", "name"], "_classic_write")
        return {r["id"]: f"[{r['default_code']}] {r['name']}" if r["default_code"] else r["name"] or "" for r in rows}
    if model.name == "res.partner":
        rows = env.read(model, ids, ["complete_name", "name"], "_classic_write")
        return {r["id"]: r["complete_name"] or r["name"] or "" for r in rows}
    if model.name == "res.users":
        rows = env.read(model, ids, ["name"], "_classic_write")
        return {r["id"]: r["name"] or "" for r in rows}
    return None

"""The reference models the twin serves: currencies, countries, companies, partners, users, units of measure."""

from __future__ import annotations

from sandbox.odoo.spec_types import ModelSpec

PARTNERS_SPECS: tuple[ModelSpec, ...] = (
    ModelSpec("res.currency", "res_currency", "Currency"),
    ModelSpec("res.country", "res_country", "Country", translated=frozenset({"name"})),
    ModelSpec("res.company", "res_company", "Companies", {"parent_id": "res.company"}),
    ModelSpec(
        "res.partner",
        "res_partner",
        "Contact",
        {"parent_id": "res.partner", "commercial_partner_id": "res.partner", "country_id": "res.country"},
        {
            "type": (
                ("contact", "Contact"),
                ("invoice", "Invoice Address"),
                ("delivery", "Delivery Address"),
                ("other", "Other Address"),
            )
        },
        readonly=frozenset({"complete_name", "commercial_partner_id", "email_normalized"}),
        one2many={"child_ids": ("res.partner", "parent_id")},
        many2many={
            "category_id": ("res.partner.category", "res_partner_res_partner_category_rel", "partner_id", "category_id")
        },
        rec_name="complete_name",
        order="complete_name, id desc",
    ),
    # partner tags (base/models/res_partner.py PartnerCategory): shop customer groups (sinks/odoo/customer_groups.py)
    ModelSpec(
        "res.partner.category",
        "res_partner_category",
        "Partner Tags",
        {"parent_id": "res.partner.category"},
        translated=frozenset({"name"}),
        one2many={"child_ids": ("res.partner.category", "parent_id")},
        many2many={"partner_ids": ("res.partner", "res_partner_res_partner_category_rel", "category_id", "partner_id")},
        order="name",
    ),
    # res.users _inherits res.partner: name, email, lang, tz... are the partner's.
    ModelSpec("res.users", "res_users", "User", rec_name="login", inherits=("res.partner", "partner_id")),
    ModelSpec("uom.uom", "uom_uom", "Product Unit of Measure", translated=frozenset({"name"})),
)

"""``/api/images/products/...``: PrestaShop's specific management of product images.

Upload is ``POST`` multipart/form-data with the file in field ``image`` (what prestapyt's
``add('images/products/<id>', files=[('image', name, bytes)])`` sends); the image rows go to
``image``/``image_shop``/``image_lang`` and the bytes to a directory. No resizing into image types.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
from pathlib import Path
from typing import Any

from sandbox.prestashop.db import ShopDatabase
from sandbox.prestashop.model import DEFAULT_SHOP
from sandbox.prestashop.views import WsError

ALLOWED_MIME = ("image/gif", "image/jpg", "image/jpeg", "image/pjpeg", "image/png", "image/webp", "image/x-png")


def _upload(body: bytes, content_type: str) -> tuple[bytes, str]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if message.is_multipart():
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "image":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes) and payload:
                    return payload, part.get_content_type()
    raise WsError(400, 69, 'Please set an "image" parameter with image data for value')


class ProductImages:
    def __init__(self, db: ShopDatabase, directory: Path, ws_url: str, languages: list[int]) -> None:
        self.db = db
        self.directory = directory
        self.ws_url = ws_url
        self.languages = languages

    def _path(self, id_image: int) -> Path:
        return self.directory / f"{id_image}.bin"

    def handle(
        self, cur: Any, method: str, segments: list[str], headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str, list[int]]:
        """Returns (status, body, content type, ids)."""
        if len(segments) < 2 or segments[1] != "products":
            raise WsError(400, 50, "Image type does not exist; only 'products' is served by this twin")
        id_product = int(segments[2]) if len(segments) > 2 and segments[2].isdigit() else 0
        id_image = int(segments[3]) if len(segments) > 3 and segments[3].isdigit() else 0
        table = self.db.table("image")
        if method in ("GET", "HEAD") and not id_product:
            cur.execute(f"SELECT DISTINCT id_product FROM {table} ORDER BY id_product")
            items = "".join(
                f'<image id="{r["id_product"]}" xlink:href="{self.ws_url}images/products/{r["id_product"]}"/>\n'
                for r in cur.fetchall()
            )
            return 200, _xml(f"<images>\n{items}</images>\n"), "text/xml;charset=utf-8", []
        cur.execute(f"SELECT 1 FROM {self.db.table('product')} WHERE id_product = %s", (id_product,))
        if cur.fetchone() is None:
            raise WsError(404, 66, f"Product {id_product} does not exist")
        if method in ("GET", "HEAD") and not id_image:
            cur.execute(f"SELECT id_image FROM {table} WHERE id_product = %s ORDER BY position", (id_product,))
            found = cur.fetchall()
            if not found:  # a real 8.1.2: 404, no body (client_extras/008_get_images_products_id.json)
                return 404, b"", "", []
            declinations = "".join(
                f'<declination id="{r["id_image"]}" '
                f'xlink:href="{self.ws_url}images/products/{id_product}/{r["id_image"]}"/>\n'
                for r in found
            )
            body_xml = f'<image id="{id_product}">\n'  # no link on a real 8.1.2 (client_extras/010)
            return 200, _xml(body_xml + declinations + "</image>\n"), "text/xml;charset=utf-8", [id_product]
        if method in ("GET", "HEAD"):
            cur.execute(f"SELECT 1 FROM {table} WHERE id_image = %s AND id_product = %s", (id_image, id_product))
            if cur.fetchone() is None or not self._path(id_image).is_file():
                raise WsError(404, 66, f"This image id does not exist ({id_image})")
            stored_mime, _, stored_data = self._path(id_image).read_bytes().partition(b"\n")
            return 200, stored_data, stored_mime.decode(), [id_image]
        if method == "POST" and not id_image:
            data, mime = _upload(body, headers.get("content-type", ""))
            if mime not in ALLOWED_MIME:
                raise WsError(
                    400,
                    73,
                    "This type of image format is not recognized, allowed formats are: " + ", ".join(ALLOWED_MIME),
                )
            cur.execute(
                f"SELECT COALESCE(MAX(position), 0) + 1 AS p, COUNT(*) AS n FROM {table} WHERE id_product = %s",
                (id_product,),
            )
            found = cur.fetchone()
            cover = None if int(found["n"]) else 1
            cur.execute(
                f"INSERT INTO {table} (id_product, position, cover) VALUES (%s, %s, %s)",
                (id_product, found["p"], cover),
            )
            new_id = int(cur.lastrowid)
            cur.execute(
                f"INSERT INTO {self.db.table('image_shop')} (id_product, id_image, id_shop, cover) "
                "VALUES (%s, %s, %s, %s)",
                (id_product, new_id, DEFAULT_SHOP, cover),
            )
            for lang in self.languages:
                cur.execute(
                    f"INSERT INTO {self.db.table('image_lang')} (id_image, id_lang, legend) VALUES (%s, %s, '')",
                    (new_id, lang),
                )
            self.directory.mkdir(parents=True, exist_ok=True)
            self._path(new_id).write_bytes(mime.encode() + b"\n" + data)
            # as a real 8.1.2 answers (client_extras/009_post_images_products_id.json): no link on id_product,
            # linked legend languages, then the stored image itself, base64
            legend = "".join(
                f'<language id="{lang}" xlink:href="{self.ws_url}languages/{lang}"><![CDATA[]]></language>'
                for lang in self.languages
            )
            entity = (
                f"<image>\n<id><![CDATA[{new_id}]]></id>\n"
                f"<id_product><![CDATA[{id_product}]]></id_product>\n"
                f"<position><![CDATA[{found['p']}]]></position>\n"
                f"<cover>{'<![CDATA[1]]>' if cover else ''}</cover>\n<legend>{legend}</legend>\n</image>\n"
                f'<content encode="base64"><![CDATA[{base64.b64encode(data).decode()}]]></content>\n'
            )
            return 200, _xml(entity), "text/xml;charset=utf-8", [new_id]
        if method == "DELETE" and id_image:
            cur.execute(f"DELETE FROM {table} WHERE id_image = %s AND id_product = %s", (id_image, id_product))
            if not cur.rowcount:
                raise WsError(404, 66, f"This image id does not exist ({id_image})")
            cur.execute(f"DELETE FROM {self.db.table('image_shop')} WHERE id_image = %s", (id_image,))
            cur.execute(f"DELETE FROM {self.db.table('image_lang')} WHERE id_image = %s", (id_image,))
            self._path(id_image).unlink(missing_ok=True)
            return 200, b"", "", [id_image]
        raise WsError(405, 23, f"Method {method} is not valid for this image URL")


def _xml(content: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        + content
        + "</prestashop>\n"
    ).encode("utf-8")

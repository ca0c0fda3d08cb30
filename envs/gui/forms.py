"""HTML forms generated from an operation's argument schema, and the form data read back into arguments.

Every field gets a visible label (a ``<label for>`` or a ``<fieldset>`` legend), so the accessibility tree
names each control after the argument it sets; the operation validates what comes back, as on any surface.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from clawgym.worlds.operation import Operation

LONG_TEXT = {"body", "text", "notes", "content", "description", "note", "comment", "actions"}


def human(name: str) -> str:
    """``send_draft`` -> ``Send draft``."""
    return name.replace("_", " ").strip().capitalize()


def field_schema(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema without a ``null`` alternative, and whether null was allowed."""
    alts = schema.get("anyOf")
    if alts:
        rest = [a for a in alts if a.get("type") != "null"]
        if len(rest) == 1:
            merged = {**schema, **rest[0]}
            merged.pop("anyOf", None)
            return merged, len(rest) < len(alts)
    return schema, False


def render_form(op: Operation, action: str, values: dict[str, Any], hidden: set[str], method: str = "post",
                nxt: str = "") -> str:
    """A form for ``op``: hidden fields for ``hidden`` (ids the page already knows), a labelled control per field."""
    params = op.parameters
    required = set(params.get("required", []))
    short = op.name.split(".", 1)[1]
    parts = [f'<form method="{method}" action="{escape(action)}" aria-label="{escape(human(short))}">']
    if nxt:
        parts.append(f'<input type="hidden" name="_next" value="{escape(nxt)}">')
    for name, raw in params.get("properties", {}).items():
        value = values.get(name)
        if name in hidden:
            parts.append(f'<input type="hidden" name="{name}" value="{escape(_text(value))}">')
            continue
        parts.append(_control(name, raw, name in required, value))
    parts.append(f'<button type="submit">{escape(human(short))}</button></form>')
    return "".join(parts)


def _control(name: str, raw: dict[str, Any], required: bool, value: Any) -> str:
    schema, nullable = field_schema(raw)
    label = human(name) + ("" if required else " (optional)")
    hint = schema.get("description", "")
    default = raw.get("default")
    current = default if value is None else value
    fid = f"f-{name}"
    kind = schema.get("type")
    if "enum" in schema:
        options = [("", "Leave as is")] if nullable and default is None else []
        options += [(str(v), str(v)) for v in schema["enum"]]
        return _choices(name, label, options, "radio", {_text(current)})
    if kind == "boolean":
        if nullable or (not required and default is None):
            options = [("", "Leave as is"), ("true", "Yes"), ("false", "No")]
            chosen = "" if current is None else ("true" if _truthy(current) else "false")
            return _choices(name, label, options, "radio", {chosen})
        checked = " checked" if _truthy(current) else ""
        return (f'<p><input type="checkbox" id="{fid}" name="{name}" value="true"{checked}>'
                f'<label for="{fid}">{escape(human(name))}</label></p>')
    if kind == "array" and "enum" in schema.get("items", {}):
        picked = {str(v) for v in (current or [])} if isinstance(current, list) else set()
        options = [(str(v), str(v)) for v in schema["items"]["enum"]]
        return _choices(name, label, options, "checkbox", picked)
    if kind == "array" and schema.get("items", {}).get("type") in ("string", "integer", "number"):
        hint = "comma-separated" + (f"; each {schema['items']['description']}" if "description" in schema["items"] else "")
        text = ", ".join(str(v) for v in current) if isinstance(current, list) else _text(current)
        return _input(fid, name, label, text, hint, required, long=False)
    if kind in ("array", "object") or "$ref" in schema or (kind is None and "items" in schema):
        text = current if isinstance(current, str) else (json.dumps(current) if current not in (None, [], {}) else "")
        return _input(fid, name, label, text, "JSON", required, long=True)
    return _input(fid, name, label, _text(current), hint, required, long=name in LONG_TEXT)


def _input(fid: str, name: str, label: str, value: str, hint: str, required: bool, long: bool) -> str:
    described = f' aria-describedby="{fid}-h"' if hint else ""
    req = " required" if required else ""
    if long:
        control = f'<textarea id="{fid}" name="{name}" rows="3"{described}>{escape(value)}</textarea>'
    else:
        control = f'<input type="text" id="{fid}" name="{name}" value="{escape(value)}"{described}{req}>'
    small = f'<small id="{fid}-h">{escape(hint)}</small>' if hint else ""
    return f'<p><label for="{fid}">{escape(label)}</label>{control}{small}</p>'


def _choices(name: str, label: str, options: list[tuple[str, str]], kind: str, chosen: set[str]) -> str:
    items = []
    for i, (value, text) in enumerate(options):
        oid = f"f-{name}-{i}"
        mark = " checked" if value in chosen else ""
        items.append(f'<input type="{kind}" id="{oid}" name="{name}" value="{escape(value)}"{mark}>'
                     f'<label for="{oid}">{escape(text)}</label>')
    return f'<fieldset><legend>{escape(label)}</legend>{"".join(items)}</fieldset>'


def parse_form(op: Operation, form: Any) -> dict[str, Any]:
    """Arguments for ``op`` from submitted form data (a starlette FormData or a dict of lists)."""
    params = op.parameters
    required = set(params.get("required", []))
    args: dict[str, Any] = {}
    for name, raw in params.get("properties", {}).items():
        schema, _ = field_schema(raw)
        values = _values(form, name)
        kind = schema.get("type")
        if kind == "array" and "enum" in schema.get("items", {}):
            if values or name in required:
                args[name] = values
            continue
        if kind == "boolean" and "enum" not in schema:
            if not values:
                # An unchecked box means false; a tri-state group left at "Leave as is" means "not given".
                if raw.get("default") is not None:
                    args[name] = False
                continue
            if values[0] == "":
                continue
            args[name] = _truthy(values[0])
            continue
        text = values[0] if values else ""
        if text == "" and name not in required:
            continue
        args[name] = _convert(schema, text)
    return args


def _values(form: Any, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return [str(v) for v in form.getlist(name)]
    value = form.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _convert(schema: dict[str, Any], text: str) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text.strip())
        if kind == "number":
            return float(text.strip())
    except ValueError:
        return text  # the operation's validation names the field and the expected form
    if kind == "array":
        item = schema.get("items", {})
        if item.get("type") in ("string", "integer", "number"):
            parts = [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]
            return [_convert(item, p) for p in parts]
    if kind in ("array", "object") or "$ref" in schema or "items" in schema:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "on", "yes", "1")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

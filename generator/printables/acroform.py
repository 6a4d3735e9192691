"""Make WeasyPrint's form fields correct for every viewer (pypdf post-processing).

WeasyPrint (``pdf_forms=True``) makes a field per ``<input>`` but leaves the form
to the viewer: ``/NeedAppearances true``, check boxes and radio buttons without
``/DA`` and with an appearance for the on-state only (poppler then rebuilds them,
logs "Missing 'Tf' operator" and draws a ticked box empty), radio buttons whose
widgets carry their own ``/T`` and sit in ``/Fields`` beside their group, text
fields whose ``/DA`` holds a graphics-state operator, rectangles upside down.

:func:`finish_form` rewrites that, with pypdf, into what the PDF specification
asks for and every viewer (poppler, pdf.js, PDFium, Acrobat) reads the same way:

* every field has a ``/DA`` naming a font of ``/AcroForm /DR`` (the field font for
  text, ZapfDingbats for buttons, as PDF 32000 §12.7.4.2.3 has it);
* every check box and radio widget has an appearance for each state, ``/Off``
  and its on-state, so nothing depends on ``/NeedAppearances`` (removed); a radio
  widget's on-state is named by its option's id (``/male``), its group's value;
* one field per radio group: the widgets are kids without ``/T``, only the group
  is in ``/Fields``;
* text fields have an (empty) appearance, and ``combs`` get the comb flag, so a
  typed identity number falls one character per printed cell.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

BUTTON_FONT = "/ZaDb"
"""The resource name of ZapfDingbats, the font of button captions (``/MK /CA``)."""
COMB = 1 << 24
"""Field flag 25: a text field divided into ``/MaxLen`` equal cells."""
RADIO = 1 << 15
MULTILINE = 1 << 12
BUTTON_DA = f"{BUTTON_FONT} 0 Tf 0.121569 0.160784 0.2 rg"
"""Auto-sized ZapfDingbats in the forms' ink colour (print.css: #1f2933)."""
TICK, DOT = "4", "l"
"""ZapfDingbats: ✔ and ●, the captions viewers use when they redraw a button."""


def finish_form(pdf: bytes, combs: Iterable[str] = ()) -> bytes:
    """``pdf`` (WeasyPrint's bytes) with a correct AcroForm; ``combs``: the names
    of the text fields to divide into cells."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    root = writer.root_object
    if "/AcroForm" not in root:
        return pdf
    form = _dict(root["/AcroForm"])
    _own_resources(writer, form)
    wanted = set(combs)
    fields = ArrayObject()
    for ref in _array(form["/Fields"]):
        field = _dict(ref)
        if "/Parent" in field:  # a radio widget: its group is the field
            continue
        kind = field.get("/FT")
        if kind == "/Btn" and "/Kids" in field:
            _radio_group(writer, field)
        elif kind == "/Btn":
            _check_box(writer, field)
        elif kind == "/Tx":
            _text(writer, field, str(field.get("/T", "")) in wanted)
        fields.append(ref)
    form[NameObject("/Fields")] = fields
    form[NameObject("/NeedAppearances")] = BooleanObject(False)
    form[NameObject("/DA")] = TextStringObject(BUTTON_DA)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _own_resources(writer: PdfWriter, form: DictionaryObject) -> None:
    """``/DR`` as a dictionary of the form's own (WeasyPrint points it at a page's
    resources), with ZapfDingbats added for the buttons."""
    shared = _dict(form["/DR"])
    fonts = DictionaryObject()
    for name, font in _dict(shared.get("/Font", DictionaryObject())).items():
        fonts[NameObject(name)] = font
    fonts[NameObject(BUTTON_FONT)] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/ZapfDingbats"),
    }))
    form[NameObject("/DR")] = writer._add_object(
        DictionaryObject({NameObject("/Font"): fonts}))


def _rect(widget: DictionaryObject) -> tuple[float, float]:
    """Put the widget's rectangle the right way up; its width and height."""
    x1, y1, x2, y2 = (float(v) for v in _array(widget["/Rect"]))
    box = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    widget[NameObject("/Rect")] = ArrayObject(FloatObject(round(v, 4)) for v in box)
    return box[2] - box[0], box[3] - box[1]


def _appearance(writer: PdfWriter, width: float, height: float,
                content: bytes = b"", resources: Any = None) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                          FloatObject(round(width, 4)),
                                          FloatObject(round(height, 4))]),
    })
    if resources is not None:
        stream[NameObject("/Resources")] = resources
    return writer._add_object(stream)


def _button_widget(writer: PdfWriter, widget: DictionaryObject, state: str,
                   caption: str) -> None:
    """An appearance for ``/Off`` and for ``state`` (WeasyPrint's drawn mark)."""
    width, height = _rect(widget)
    normal = _dict(_dict(widget["/AP"])["/N"])
    (mark,) = normal.values()
    widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): DictionaryObject({
        NameObject(state): mark,
        NameObject("/Off"): _appearance(writer, width, height),
    })})
    widget[NameObject("/AS")] = NameObject("/Off")
    widget[NameObject("/DA")] = TextStringObject(BUTTON_DA)
    looks = _dict(widget.get("/MK", DictionaryObject()))
    looks[NameObject("/CA")] = TextStringObject(caption)
    widget[NameObject("/MK")] = looks


def _check_box(writer: PdfWriter, field: DictionaryObject) -> None:
    _button_widget(writer, field, "/on", TICK)
    field[NameObject("/V")] = NameObject("/Off")


def _radio_group(writer: PdfWriter, group: DictionaryObject) -> None:
    """Kids without ``/T``, each on-state named by its option (``/Opt`` dropped: the
    state names carry the values)."""
    options = [str(o) for o in _array(group.get("/Opt", ArrayObject()))]
    for index, ref in enumerate(_array(group["/Kids"])):
        kid = _dict(ref)
        for key in ("/T", "/TU", "/FT"):
            if key in kid:
                del kid[key]
        value = options[index] if index < len(options) else str(index)
        _button_widget(writer, kid, "/" + value, DOT)
    if "/Opt" in group:
        del group["/Opt"]
    group[NameObject("/V")] = NameObject("/Off")
    group[NameObject("/DA")] = TextStringObject(BUTTON_DA)


def _text(writer: PdfWriter, field: DictionaryObject, comb: bool) -> None:
    """``/DA`` with only text operators (font, size, colour), an empty appearance
    and, for a comb, the comb flag (``/MaxLen`` is the number of cells)."""
    parts = str(field.get("/DA", "")).split()
    font = size = ""
    colour: list[str] = []
    for k, token in enumerate(parts):
        if token == "Tf" and k >= 2:
            font, size = parts[k - 2], parts[k - 1]
        elif token == "rg" and k >= 3:
            colour = parts[k - 3:k]
    field[NameObject("/DA")] = TextStringObject(
        f"{font} {size} Tf {' '.join(colour or ['0', '0', '0'])} rg")
    width, height = _rect(field)
    field[NameObject("/AP")] = DictionaryObject(
        {NameObject("/N"): _appearance(writer, width, height, b"/Tx BMC\nEMC\n")})
    flags = int(cast(int, field.get("/Ff", 0)))
    if comb and "/MaxLen" in field and not flags & MULTILINE:
        field[NameObject("/Ff")] = NumberObject(flags | COMB)
        field[NameObject("/MaxLen")] = NumberObject(int(cast(int, field["/MaxLen"])))


def _dict(value: Any) -> DictionaryObject:
    return cast(DictionaryObject, value.get_object())


def _array(value: Any) -> ArrayObject:
    return cast(ArrayObject, value.get_object())

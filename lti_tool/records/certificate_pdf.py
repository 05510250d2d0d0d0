"""A printable certificate (PDF, A4) listing the learner's achieved units, with a QR code of the verification
link so an employer can check it from paper. The PDF is a convenience copy: the signed credentials are the
record, and the QR code leads to them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import segno
from fpdf import FPDF

from lti_tool.records.ob3 import QUALIFICATION_NAME


@dataclass(frozen=True)
class CertificateLine:
    unit_id: str
    title: str
    achieved_at: datetime | None


def _latin1(text: str) -> str:
    # The PDF core fonts are Latin-1: keep names readable rather than failing on an accent they lack.
    replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    for wide, narrow in replacements.items():
        text = text.replace(wide, narrow)
    return text.encode("latin-1", "replace").decode("latin-1")


def qr_png(url: str, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code (for the My records page: no image request, no JavaScript)."""
    return segno.make(url, error="m").svg_inline(scale=scale, title="QR code of the verification link")


def certificate_pdf(
    learner_name: str, provider_name: str, lines: list[CertificateLine], verify_url: str, complete: bool
) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin1(f"{QUALIFICATION_NAME}: {learner_name}"))
    pdf.set_author(_latin1(provider_name))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    heading = QUALIFICATION_NAME if complete else f"{QUALIFICATION_NAME}: units achieved"
    pdf.multi_cell(0, 10, _latin1(heading), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 13)
    pdf.multi_cell(
        0,
        7,
        _latin1(f"This is to certify that {learner_name or 'the learner'} has achieved"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0,
        7,
        _latin1("all 15 units." if complete else f"{len(lines)} of the 15 units:"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for line in lines:
        when = f"{line.achieved_at:%d %B %Y}" if line.achieved_at else ""
        pdf.cell(18, 7, _latin1(line.unit_id.upper()))
        pdf.cell(120, 7, _latin1(line.title[:70]))
        pdf.cell(0, 7, _latin1(when), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        5,
        _latin1(f"Issued by {provider_name}. Each unit is also a signed digital credential."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0, 5, _latin1(f"Check it at {verify_url} or scan the code:"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.get_x(), y=pdf.get_y() + 2, w=40)
    return bytes(pdf.output())

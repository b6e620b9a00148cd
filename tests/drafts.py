"""A small styrmodell as a municipality writes one, as a Word file: what the drafting tests read."""

from __future__ import annotations

from pathlib import Path

import docx


def styrmodell(path: Path) -> Path:
    """A small styrmodell as a municipality writes one: prose, a month-by-month overview whose header leaves
    the label column empty (as Exempelkommun's does), a row-per-step table, and one that names both who prepares
    a step and who decides it."""
    document = docx.Document()
    document.add_heading("Styrmodell för Provkommun", 0)
    document.add_heading("1. Budget", 1)
    document.add_paragraph("Kommunfullmäktige fattar beslut om rambudgeten varje år i juni.")
    document.add_paragraph("Styrmodellen antogs av kommunfullmäktige den 14 juni 2021.")
    document.add_heading("2. Översikt året", 1)
    overview = document.add_table(rows=3, cols=4)
    for cell, text in zip(overview.rows[0].cells, ["", "JAN", "FEB", "MAR"], strict=True):
        cell.text = text
    label, _, february, march = overview.rows[1].cells
    label.text = "Bolagen"
    february.text = "Årsredovisningen ska vara ekonomiavdelningen tillhanda senast 1/3"
    march.text = "Ekonomisk rapport om bolagens resultat"
    row = overview.rows[2]
    row.cells[0].text = "Återrapportering"
    merged = row.cells[1].merge(row.cells[2])  # a cell spanning January and February
    merged.text = "Upptakt för förtroendevalda"
    row.cells[3].text = "Budgetdialoger med nämnderna"
    document.add_heading("3. Årshjul", 1)
    steps = document.add_table(rows=3, cols=3)
    for cells, texts in zip(
        steps.rows,
        [
            ("Månad", "Aktivitet", "Ansvarig"),
            ("Februari", "Uppföljning av internkontrollplanen senast 15 februari", "Nämnderna"),
            ("September", "Delårsrapport 2 lämnas till revisorerna", "Kommunstyrelsen"),
        ],
        strict=True,
    ):
        for cell, text in zip(cells.cells, texts, strict=True):
            cell.text = text
    document.add_heading("4. Tidplan", 1)
    deadlines = document.add_table(rows=3, cols=4)
    for cells, texts in zip(
        deadlines.rows,
        [
            ("Vad", "När", "Vem ansvarar", "Vem beslutar"),
            ("Planeringsdirektiv med preliminära ramar", "Senast 10 februari", "Ekonomiavdelningen", "Kommunstyrelsen"),
            ("Delårsbokslut upprättas", "Per 31/8", "Förvaltningarna", "–"),
        ],
        strict=True,
    ):
        for cell, text in zip(cells.cells, texts, strict=True):
            cell.text = text
    document.add_heading("5. Beslut", 1)
    document.add_paragraph("Nämnden beslutar om verksamhetsplanen. Beslutet får inte delegeras.")
    document.save(path)
    return path

"""The demo's "4 good" data over a small copy of the demo's units (the full demo load runs in
grassroots/demo/tests): frameworks, registrations and twelve reviewed months a year, and
November 2024's notes as the sources tell them."""

import datetime as dt

from grassroots.assessments import demo
from grassroots.assessments.models import Framework, MonthlyAssessment, Registration
from grassroots.assessments.selectors import monthly_results, review_queue
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

START = dt.date(2015, 1, 1)


def _unit(code, name, kind, parent=None):
    return unit_create(actor=None, code=code, name=name, kind=kind, parent=parent, valid_from=START)


def _demo_units(tree):
    qni = _unit("QNI", "Đảng bộ tỉnh Quảng Ninh", UnitKind.PROVINCE, tree.root)
    for district, ward, cell in [
        ("QNI-QYE", "QNI-DMA", "Chi bộ khu dân cư Biểu Nghi"),
        ("QNI-DTR", "QNI-HPH", "Chi bộ khu Bình Lục Hạ"),
    ]:
        d = _unit(district, district, UnitKind.DISTRICT, qni)
        w = _unit(ward, ward, UnitKind.GRASSROOTS, d)
        _unit(f"{ward}-01", cell, UnitKind.CELL, w)
    lca = _unit("LCA", "Đảng bộ tỉnh Lào Cai", UnitKind.PROVINCE, tree.root)
    bxa = _unit("LCA-BXA", "Đảng bộ huyện Bát Xát", UnitKind.DISTRICT, lca)
    mhu = _unit("LCA-MHU", "Đảng bộ xã Mường Hum", UnitKind.GRASSROOTS, bxa)
    _unit("LCA-MHU-01", "Chi bộ thôn Mường Hum", UnitKind.CELL, mhu)
    _unit("LCA-MHU-02", "Chi bộ thôn Nậm Pẻn", UnitKind.CELL, mhu)


def test_the_demo_registers_the_cells_and_files_their_months(tree, monkeypatch):
    _demo_units(tree)
    # On 15 March 2025: 2024 is the last full year; this year the village cell filed January.
    monkeypatch.setattr(demo.timezone, "localdate", lambda *a: dt.date(2025, 3, 15))
    lines = []
    summary = demo.load_demo(log=lines.append)
    assert summary.startswith('"4 good": 2 frameworks, 4 units registered')

    qn = Framework.objects.get(code="qni-4tot")
    assert (qn.guideline_number, qn.guideline_date) == ("05-HD/BTCTU", dt.date(2024, 5, 19))
    assert sum(g.max_points for g in qn.groups.all()) == 100

    bieu_nghi = Unit.objects.get(code="QNI-DMA-01")
    months = monthly_results(unit=bieu_nghi, year=2024)
    assert [m.status for m in months] == ["accepted"] * 11 + ["submitted"]
    assert all(m.band for m in months)
    november = MonthlyAssessment.objects.get(
        registration__unit=bieu_nghi, registration__year=2024, month=11
    )
    assert "bão số 3" in november.note and "vụ đông" in november.note
    binh_luc_ha = MonthlyAssessment.objects.get(
        registration__unit__code="QNI-HPH-01", registration__year=2024, month=11
    )
    assert "7 tỷ" in binh_luc_ha.note and "1,7 tỷ" in binh_luc_ha.note
    assert Registration.objects.get(unit__code="QNI-HPH-01", year=2024).own_criteria.exists()

    # December of the last full year waits for the ward's review.
    village = Registration.objects.get(unit__code="LCA-MHU-01", year=2025)
    statuses = [m.status for m in monthly_results(unit=village.unit, year=2025)]
    assert statuses[:2] == ["accepted", "missing"]
    assert review_queue(user=None).count() == 0  # nobody is logged in: nothing to review
    assert MonthlyAssessment.objects.filter(late=True).exists()
    assert Registration.objects.filter(unit__code="LCA-MHU-01", year=2024).exists()

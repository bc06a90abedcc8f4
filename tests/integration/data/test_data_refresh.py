"""`cypp data refresh` offline: respx answers with responses recorded from real exports.

The recorded responses are the data layer's fixtures in ``tests/fixtures/public_api``
(see its README: real Fingertips and EES exports cut down to the comparator rows).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from cypp.cli import main
from cypp.web.data.models import DataImport, Observation, Revision
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.django_db

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "public_api"
FT_URL = "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id"
#: A placeholder in the form of an EES API data-set id (a GUID); not a real data set.
EES_ID = "8f2c2b6e-0000-4000-8000-000000000001"
EES_URL = f"https://api.education.gov.uk/statistics/v1/data-sets/{EES_ID}/csv"
CLA_RATE = "rate_per_10000[population_type=Children looked after on 31 March each year]"
MAPPING = f"""cypp_indicator_mapping: 1
plan: worcestershire-2014-17
measures:
  m01: {{fingertips: 90284}}
  m25: {{ees: "{EES_ID}:{CLA_RATE}"}}
  m16: {{lait: "CPP_Total_Rateper10,000"}}
"""
#: Worcestershire, England, the West Midlands and the ten DfE 2025 statistical neighbours.
COMPARATORS = 13


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "worcestershire-national-indicators.yaml"
    path.write_text(MAPPING)
    return path


def recorded(router: respx.MockRouter) -> None:
    router.get(FT_URL).mock(
        return_value=httpx.Response(
            200, content=(FIXTURES / "fingertips_all_data_csv_iid90284_502_6.csv").read_bytes()
        )
    )
    router.get(EES_URL).mock(
        return_value=httpx.Response(
            200, content=(FIXTURES / "ees_cla_number_and_rate_per_10k_children.csv").read_bytes()
        )
    )


def refresh(*args: str):
    return CliRunner().invoke(main, ["data", "refresh", *args], catch_exceptions=False)


def test_refresh_stores_the_area_and_its_comparators(plan, mapping: Path) -> None:
    with respx.mock(assert_all_called=True) as router:
        recorded(router)
        result = refresh(plan.slug, "--mapping", str(mapping))
    assert result.exit_code == 0, result.stderr
    assert "no API for m16" in result.stderr
    for key in ("m01", "m25"):
        areas = set(
            Observation.objects.filter(measure__key=key).values_list("area_code", flat=True)
        )
        assert len(areas) == COMPARATORS and "E10000034" in areas, key
    england = Observation.objects.get(measure__key="m25", area_code="E92000001", period="2024/25")
    assert england.value == 67.0 and england.source
    assert DataImport.objects.get().source == "national refresh"

    with respx.mock as router:
        recorded(router)
        again = refresh(plan.slug, "--mapping", str(mapping))
    assert again.exit_code == 0 and " 0 new, 0 revised," in again.stdout
    assert Revision.objects.count() == 0


def test_offline_refresh_says_so_and_stores_nothing(plan, mapping: Path) -> None:
    with respx.mock as router:
        router.get(FT_URL).mock(side_effect=httpx.ConnectError("Name or service not known"))
        router.get(EES_URL).mock(side_effect=httpx.ConnectError("Name or service not known"))
        result = refresh(plan.slug, "--mapping", str(mapping), "--retries", "1")
    assert result.exit_code == 1
    assert "offline" in result.stderr and "nothing was stored" in result.stderr
    assert "failed m01" in result.stderr and "failed m25" in result.stderr
    assert Observation.objects.count() == 0 and DataImport.objects.count() == 0


def test_one_failed_series_stores_nothing(plan, mapping: Path) -> None:
    with respx.mock as router:
        recorded(router)
        router.get(EES_URL).mock(return_value=httpx.Response(404, text="not found"))
        result = refresh(plan.slug, "--mapping", str(mapping), "--retries", "1")
    assert result.exit_code == 1 and "failed m25" in result.stderr
    assert Observation.objects.count() == 0


def test_a_plan_without_mapped_measures(plan) -> None:
    result = refresh(plan.slug)
    assert result.exit_code == 1 and "is mapped to" in result.stderr


def test_an_ees_series_named_by_its_file_is_fetched_through_its_dataset_id(
    plan, tmp_path: Path
) -> None:
    """The mapping names the series as uploads do (file name) and gives the API id apart."""
    path = tmp_path / "mapping.yaml"
    path.write_text(
        "cypp_indicator_mapping: 1\nplan: worcestershire-2014-17\nmeasures:\n"
        f'  m25:\n    ees: "cla_number_and_rate_per_10k_children:{CLA_RATE}"\n'
        f"    ees_dataset_id: {EES_ID}\n"
    )
    with respx.mock(assert_all_called=False) as router:
        recorded(router)
        result = refresh(plan.slug, "--mapping", str(path))
        assert router.routes[1].call_count == 1
    assert result.exit_code == 0, result.stderr
    areas = set(Observation.objects.filter(measure__key="m25").values_list("area_code", flat=True))
    assert len(areas) == COMPARATORS


def test_an_ees_series_without_a_dataset_id_is_named_and_the_rest_is_stored(
    plan, tmp_path: Path
) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(
        "cypp_indicator_mapping: 1\nplan: worcestershire-2014-17\nmeasures:\n"
        "  m01: {fingertips: 90284}\n"
        f'  m25: {{ees: "cla_number_and_rate_per_10k_children:{CLA_RATE}"}}\n'
    )
    with respx.mock(assert_all_called=False) as router:
        recorded(router)
        result = refresh(plan.slug, "--mapping", str(path))
        assert router.routes[1].call_count == 0  # nothing asked of EES without an id
    assert result.exit_code == 0, result.stderr
    assert "not fetched m25" in result.stderr and "ees_dataset_id" in result.stderr
    assert "the measure m25" in result.stderr
    assert Observation.objects.filter(measure__key="m01").count() > 0
    assert not Observation.objects.filter(measure__key="m25").exists()

    path.write_text(path.read_text().replace("  m01: {fingertips: 90284}\n", ""))
    with respx.mock(assert_all_called=False) as router:
        recorded(router)
        only = refresh(plan.slug, "--mapping", str(path))
    assert only.exit_code == 1 and "need an API data-set id" in only.stderr

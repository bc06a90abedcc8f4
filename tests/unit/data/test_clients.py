"""Fingertips and EES clients, offline, against responses recorded from real exports."""

from __future__ import annotations

from pathlib import Path

import httpx
import polars as pl
import pytest
import respx

from cypp.data.clients import EesClient, FingertipsClient, RetryPolicy
from cypp.data.errors import DataImportError, PublicDataError
from cypp.data.indicators import IndicatorRef
from cypp.domain.units import Unit
from tests.paths import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "public_api"
FT_URL = "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id"
EES_ID = "8f2c2b6e-0000-4000-8000-000000000001"
EES_URL = f"https://api.education.gov.uk/statistics/v1/data-sets/{EES_ID}/csv"
COMPARATORS = {
    "E10000034",
    "E92000001",
    "E12000005",
    "E06000066",
    "E10000013",
    "E06000059",
    "E10000031",
    "E06000051",
    "E10000032",
    "E10000008",
    "E10000007",
    "E10000012",
    "E06000065",
}
FAST = RetryPolicy(attempts=3, backoff=0.5)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@respx.mock
def test_fingertips_fetches_the_area_england_region_and_neighbours() -> None:
    route = respx.get(FT_URL).mock(
        return_value=httpx.Response(
            200, content=fixture("fingertips_all_data_csv_iid90284_502_6.csv")
        )
    )
    with FingertipsClient() as client:
        batch = client.observations(90284, "E10000034", measure="m99", unit=Unit.RATE_PER_10000)
    params = route.calls.last.request.url.params
    assert dict(params) == {
        "indicator_ids": "90284",
        "child_area_type_id": "502",
        "parent_area_type_id": "6",
    }
    frame = batch.frame
    assert set(frame["area_code"]) == COMPARATORS
    assert "E08000025" not in set(frame["area_code"])  # Birmingham is in the response only
    assert set(frame["measure"]) == {"m99"}
    worcs = frame.filter(
        (pl.col("area_code") == "E10000034")
        & (pl.col("period") == "2023/24")
        & (pl.col("breakdown") == "all")
    )
    raw = pl.read_csv(FIXTURES / "fingertips_all_data_csv_iid90284_502_6.csv", infer_schema=False)
    expected = raw.filter(
        (pl.col("Area Code") == "E10000034")
        & (pl.col("Time period") == "2023/24")
        & (pl.col("Sex") == "Persons")
    )["Value"][0]
    assert worcs["value"].to_list() == [pytest.approx(float(expected))]
    assert worcs["unit"].to_list() == ["rate_per_10000"]
    assert any("statistical neighbours" in note for note in batch.notes)


@respx.mock
def test_ees_client_reads_the_data_set_csv_through_the_ees_reader() -> None:
    respx.get(EES_URL).mock(
        return_value=httpx.Response(
            200, content=fixture("ees_cla_number_and_rate_per_10k_children.csv")
        )
    )
    ref = IndicatorRef.ees(
        "cla_number_and_rate_per_10k_children:rate_per_10000"
        "[population_type=Children looked after on 31 March each year]"
    )
    with EesClient() as client:
        batch = client.observations(EES_ID, ref, "E10000034", measure="m25")
    frame = batch.frame
    assert set(frame["area_code"]) == COMPARATORS
    england = frame.filter((pl.col("area_code") == "E92000001") & (pl.col("period") == "2024/25"))
    assert england["value"].to_list() == [67.0]
    # Somerset's figures under its old code (to 2023) are stored under the current code.
    assert frame.filter(pl.col("area_code") == "E06000066")["period"].n_unique() == 5


@respx.mock
def test_server_errors_are_retried_with_backoff_then_succeed() -> None:
    waits: list[float] = []
    route = respx.get(FT_URL).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, content=fixture("fingertips_all_data_csv_iid90284_502_6.csv")),
        ]
    )
    with FingertipsClient(policy=FAST, sleep=waits.append) as client:
        body = client.indicator_csv(90284)
    assert route.call_count == 3
    assert waits == [0.5, 2.0]
    assert body.startswith(b"Indicator ID,")


@respx.mock
def test_timeouts_are_retried_and_then_reported_plainly() -> None:
    waits: list[float] = []
    respx.get(FT_URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with (
        FingertipsClient(policy=FAST, sleep=waits.append) as client,
        pytest.raises(PublicDataError, match=r"did not answer in time.*tried 3 times"),
    ):
        client.indicator_csv(90284)
    assert waits == [0.5, 1.0]


@respx.mock
def test_offline_gives_a_clear_public_data_error() -> None:
    respx.get(EES_URL).mock(side_effect=httpx.ConnectError("Name or service not known"))
    with (
        EesClient(policy=FAST, sleep=lambda _: None) as client,
        pytest.raises(PublicDataError, match="offline"),
    ):
        client.data_set_csv(EES_ID)


@respx.mock
def test_client_errors_are_not_retried() -> None:
    route = respx.get(EES_URL).mock(return_value=httpx.Response(404, text="Data set not found"))
    with (
        EesClient(policy=FAST, sleep=lambda _: None) as client,
        pytest.raises(PublicDataError, match="HTTP 404: Data set not found"),
    ):
        client.data_set_csv(EES_ID)
    assert route.call_count == 1


@respx.mock
def test_a_broken_response_is_a_data_import_error_naming_the_service() -> None:
    respx.get(FT_URL).mock(return_value=httpx.Response(200, content=b"<html>maintenance</html>"))
    with FingertipsClient() as client, pytest.raises(DataImportError, match="Fingertips indicator"):
        client.observations(90284, "E10000034")


def test_fixtures_are_rebuilt_exactly_from_the_real_exports(
    tmp_path: Path, shared_dir: Path
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", FIXTURES / "build_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    module.SHARED = shared_dir / "data"
    module.main()
    for name in (
        "fingertips_all_data_csv_iid90284_502_6.csv",
        "ees_cla_number_and_rate_per_10k_children.csv",
    ):
        assert (tmp_path / name).read_bytes() == fixture(name)

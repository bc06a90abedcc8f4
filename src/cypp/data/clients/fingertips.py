"""OHID Fingertips API client (bulk CSV by indicator ID).

Endpoint: ``GET {base}/all_data/csv/by_indicator_id?indicator_ids=…&child_area_type_id=…
&parent_area_type_id=…``. With parent area type 6 (regions) one response holds every
upper-tier LA, the regions and England, so one call serves a plan area and all its
comparators. Area type 502 is "Counties & UAs (from Apr 2023)".
"""

from __future__ import annotations

from cypp.data.clients.common import batch_for_areas
from cypp.data.clients.http import ApiClient, get
from cypp.data.indicators import IndicatorRef
from cypp.data.observations import ObservationBatch
from cypp.domain.units import Unit

__all__ = ["COUNTIES_AND_UAS", "DEFAULT_BASE_URL", "REGIONS", "FingertipsClient"]

DEFAULT_BASE_URL = "https://fingertips.phe.org.uk/api"
COUNTIES_AND_UAS = 502
REGIONS = 6
SERVICE = "Fingertips"


class FingertipsClient(ApiClient):
    default_base_url = DEFAULT_BASE_URL
    default_timeout = 30.0

    def indicator_csv(
        self,
        indicator_id: int,
        *,
        child_area_type_id: int = COUNTIES_AND_UAS,
        parent_area_type_id: int = REGIONS,
    ) -> bytes:
        """The bulk CSV export of one indicator, as the service sends it."""
        response = get(
            self._http,
            f"{self.base_url}/all_data/csv/by_indicator_id",
            params={
                "indicator_ids": indicator_id,
                "child_area_type_id": child_area_type_id,
                "parent_area_type_id": parent_area_type_id,
            },
            service=SERVICE,
            policy=self.policy,
            sleep=self._sleep,
        )
        return response.content

    def observations(
        self,
        indicator_id: int,
        area_code: str,
        *,
        measure: str | None = None,
        unit: Unit | None = None,
        model: str = "2025",
        child_area_type_id: int = COUNTIES_AND_UAS,
    ) -> ObservationBatch:
        """Validated figures of one indicator for the area, England, region and neighbours."""
        body = self.indicator_csv(indicator_id, child_area_type_id=child_area_type_id)
        return batch_for_areas(
            body,
            name=f"Fingertips indicator {indicator_id}",
            format="fingertips",
            ref=IndicatorRef.fingertips(indicator_id),
            area_code=area_code,
            measure=measure,
            unit=unit,
            model=model,
        )

"""DfE Explore Education Statistics (EES) public API client.

Endpoint: ``GET {base}/data-sets/{dataSetId}/csv[?dataSetVersion=…]`` returns a whole data
set in the EES open-data CSV layout with readable filter and indicator names (the same
layout as the files on the EES website), so it goes through the same reader as uploads.
A data set is named by its API id (a GUID shown on the data set's EES page); ``name`` is
the short name mapping references use (``NAME:INDICATOR[filter=value]``).
"""

from __future__ import annotations

from cypp.data.clients.common import batch_for_areas
from cypp.data.clients.http import ApiClient, get
from cypp.data.indicators import IndicatorRef
from cypp.data.observations import ObservationBatch
from cypp.domain.units import Unit

__all__ = ["DEFAULT_BASE_URL", "EesClient"]

DEFAULT_BASE_URL = "https://api.education.gov.uk/statistics/v1"
SERVICE = "Explore Education Statistics"


class EesClient(ApiClient):
    default_base_url = DEFAULT_BASE_URL
    default_timeout = 60.0
    extra_headers = (("Accept", "text/csv"),)

    def data_set_csv(self, data_set_id: str, *, version: str | None = None) -> bytes:
        params = {"dataSetVersion": version} if version else None
        response = get(
            self._http,
            f"{self.base_url}/data-sets/{data_set_id}/csv",
            params=params,
            service=SERVICE,
            policy=self.policy,
            sleep=self._sleep,
        )
        return response.content

    def observations(
        self,
        data_set_id: str,
        ref: IndicatorRef,
        area_code: str,
        *,
        measure: str | None = None,
        unit: Unit | None = None,
        model: str = "2025",
        version: str | None = None,
    ) -> ObservationBatch:
        """Validated figures of one EES series for the area, England, region and neighbours."""
        body = self.data_set_csv(data_set_id, version=version)
        return batch_for_areas(
            body,
            name=f"EES data set {ref.dataset or data_set_id}",
            format="ees",
            ref=ref,
            area_code=area_code,
            measure=measure,
            unit=unit,
            model=model,
            dataset=ref.dataset or data_set_id,
        )

"""Small clients for the public statistics services a data refresh reads.

* :class:`~cypp.data.clients.fingertips.FingertipsClient`: OHID Fingertips bulk CSV
  (``/api/all_data/csv/by_indicator_id``), by indicator ID.
* :class:`~cypp.data.clients.dfe_ees.EesClient`: DfE Explore Education Statistics API
  (``/v1/data-sets/{id}/csv``), by data set.

Both return an :class:`~cypp.data.observations.ObservationBatch` already validated and
cut down to the plan area, England, its region and its statistical neighbours
(:func:`cypp.data.areas.comparison_areas`), and raise
:class:`~cypp.data.errors.PublicDataError` with a plain message when the service cannot
be reached (offline, timeouts, HTTP errors after retries with backoff).
"""

from cypp.data.clients.dfe_ees import EesClient
from cypp.data.clients.fingertips import FingertipsClient
from cypp.data.clients.http import RetryPolicy

__all__ = ["EesClient", "FingertipsClient", "RetryPolicy"]

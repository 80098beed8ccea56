"""The agency's own settings: its time zone, its locale and the reminder's lead time (R32, R37, R44)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.errors import NotFound
from chalicelib.logic.access import Caller, require_coordinator
from chalicelib.logic.views import agency_view

if TYPE_CHECKING:
    from chalicelib.services import Services


def agency_settings(services: Services, caller: Caller) -> dict[str, Any]:
    """The caller's agency with its settings (coordinators)."""
    require_coordinator(caller)
    agency = services.directory.lookup(caller.agency_id, agency=True).agency
    if agency is None:
        raise NotFound()
    return agency_view(agency)


def change_agency(services: Services, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """Change the time zone (dates in schedules and reports follow it from now on), the locale, or how many minutes
    before a visit the client is reminded (0: no reminders)."""
    require_coordinator(caller)
    return agency_view(services.directory.update_agency(caller.agency_id, body))

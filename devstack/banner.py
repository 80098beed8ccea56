"""What `make dev` prints: where to go and who to be."""

from __future__ import annotations

from devstack.demo_data import AGENCIES


def banner(url: str) -> str:
    lines = ["", "Virtual visits is running locally (moto as DynamoDB and SES, peer-to-peer video).", "",
             f"  Staff app:   {url}/", f"  Outbox:      {url}/outbox   (every email sent, with its join link)",
             f"  API:         {url}/api/openapi.json", "", "Demo users (pick one on the sign-in page):"]
    for agency in AGENCIES:
        lines.append(f"  {agency.name} ({agency.time_zone})")
        coord_id, coord_name = agency.coordinator
        lines.append(f"    {coord_name:<16} coordinator  {coord_id}")
        for emp_id, emp_name in agency.caregivers:
            lines.append(f"    {emp_name:<16} caregiver    {emp_id}")
    lines += ["", "Try: sign in as Maria Lopez, open the visit happening now, send the invite, open the link",
              "from the outbox in another browser window, clock in, join.",
              "As Dana Whitfield (coordinator): the Live board follows that visit (invited, client waiting, in",
              "call); Visits, Clients, Staff and Service codes add and change the agency's data; Report downloads",
              "the attendance CSV; Settings holds the time zone, locale and reminder minutes.",
              "Data lives until you press Ctrl-C.", ""]
    return "\n".join(lines)

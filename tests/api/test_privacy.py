"""No personal data in logs, stored link tokens, or URLs."""

from __future__ import annotations

import logging

from chalicelib.persistence.models import Item


def test_logs_of_a_full_flow_carry_no_names_emails_notes_or_tokens(api, tokens, make_visit, flow, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    vid = make_visit()
    token = flow.link(vid)
    flow.invite(vid)
    flow.post(vid, "clock-in")
    flow.post(vid, "session/join")
    flow.client("attendee", token)
    api.call("PUT", f"/api/visits/{vid}/notes", {"notes": "Complained of chest pain"}, tokens["emp1"])
    flow.client("leave", token)
    api.call("POST", "/api/visits/nope/invite", raw=b"{bad", token=tokens["emp1"])
    flow.post(vid, "session/end")
    flow.post(vid, "clock-out")
    captured = caplog.text + capsys.readouterr().out + capsys.readouterr().err
    for secret in ("Eleanor", "Rigby", "Maria", "Lopez", "eleanor.rigby@", "chest pain", token):
        assert secret not in captured


def test_raw_link_tokens_are_never_stored(make_visit, flow):
    vid = make_visit()
    token = flow.link(vid)
    flow.invite(vid)
    for item in Item.scan():
        assert token not in str(item.serialize())

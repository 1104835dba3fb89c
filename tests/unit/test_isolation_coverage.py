"""Every button and form the features register is attacked by the isolation tests, or is public.

A new button or form that carries an id must get a row in `tests/support/isolation.py`'s
`ATTACKS` (the Discord and Slack isolation tests replay it), or be listed here with the reason
it cannot reach anyone else's data.
"""

from __future__ import annotations

from bot.app import Core
from tests.support.isolation import ATTACKS

PUBLIC = {
    "rs.page": "pages of the shared library; the value is the query",
    "rs.remind": "opens a form for the member's own reminder about a public resource",
    "rs.remind/form": "the member's own reminder about a public resource",
    "rf.start": "starts the member's own questionnaire; carries nothing",
    "rf.retake": "restarts the member's own questionnaire; the value is not read",
    "rf.role": "a public role profile",
    "tz.pick": "sets the member's own zone to the zone it names",
    "ck.setup/form": "the member's own check-in; carries nothing",
    "mydata.export": "exports the member's own data; the command is attacked",
    "mydata.ask": "asks the member to confirm erasing their own data",
    "adm.edit": "admins only (the router refuses others); opens their own workspace's settings",
    "adm.settings/form": "admins only; changes the submitter's own workspace, carries no id",
    "adm.fix": "admins only; a flow token, which `Flows.load` refuses for any other member",
}


def test_every_button_and_form_is_attacked_or_public(core: Core) -> None:
    attacked = {a.name for a in ATTACKS if a.kind == "press"}
    attacked |= {f"{a.name}/form" for a in ATTACKS if a.kind == "submit"}
    registered = set(core.router.actions) | {f"{form}/form" for form in core.router.forms}

    missing = registered - attacked - PUBLIC.keys()

    assert missing == set(), f"add an Attack (or a PUBLIC reason) for: {sorted(missing)}"
    assert PUBLIC.keys() <= registered, sorted(PUBLIC.keys() - registered)

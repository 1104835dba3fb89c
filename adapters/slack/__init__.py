"""mentorbot on Slack (extra `mentorbot[slack]`): `/mentor`, shortcuts, modals, App Home.

`setup.run_slack(core, settings)` starts it; `manifest.manifest(...)` describes the Slack app.
Modules: `translate` (payloads -> events) and `render` (replies -> Block Kit) are pure; `app`
wires Bolt; `messenger` talks to the Web API. Nothing is imported here, so loading
`adapters.slack` costs nothing until Slack is configured.
"""

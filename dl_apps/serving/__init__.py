"""The model tier: the hub's models served by Ray Serve, behind the same task functions.

* ``config``: the serving file (``deploy/serve.toml``) read by both sides;
* ``protocol``: what crosses the wire (the task's own predict closure, framed answers);
* ``client``: the front end's side, used by :func:`dl_apps.core.run_cached` when
  ``DL_HUB_BACKEND=ray``; faults become clear messages (``TierError``);
* ``deployments`` / ``server``: the Ray Serve side (``python -m dl_apps serve``);
* ``strings``: the EN/FR messages.

Only ``deployments`` and ``server`` import Ray, and only when the tier runs.
"""

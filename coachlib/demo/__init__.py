"""The demo: a deterministic coaching year of made-up people (``coach demo``, the tests'
workspaces, the screenshots and the benchmarks). It writes through the same store and
exports a coach would, so it sits above them: ``workspace`` builds the whole demo
workspace, ``sessions`` the session log behind it."""

"""Results history across commits: store, change points, trend pages.

The command is ``scripts/history`` (see ``docs/history.md``)."""

"""``python -m forecastkit``: the ``forecastkit`` command, for a Python whose scripts folder is
not on ``PATH`` (a notebook's kernel, a venv not activated)."""

from forecastkit.cli import main

main()

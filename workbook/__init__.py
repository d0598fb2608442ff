"""The Excel add-in's folder; installed as the package data `delar_xl.addin` (see pyproject.toml).

In an installed delar_xl this folder is `delar_xl/addin/`: the built `delar_xl.xlam`, the sources
`delar-xl installera` personalises it from, and build.py. Nothing here is imported by delar_xl
itself; install.py loads build.py by path.
"""

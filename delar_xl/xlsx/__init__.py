"""The xlsx file format beneath everything: the guard, the package parts, cells, the generic reader and writer.

Nothing here knows what a delårsrapport is.
"""

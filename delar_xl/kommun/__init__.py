"""The kommun level (contract §6, §9): the nämnders' summaries → the kommun's; the same module names as namnd/."""

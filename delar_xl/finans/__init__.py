"""The finansförvaltning's template (contract §9): skatteintäkter, finansnetto, gemensamma poster, balanskrav."""
